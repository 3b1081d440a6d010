import type { AlertRepository } from '../../src/core/ports.ts';
import type { Alert } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import { newId, withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoAlertRepository extends MongoDocuments<Alert> implements AlertRepository {
  constructor(private readonly m: Models) {
    super(m.Alert.collection);
  }

  open(alert: Omit<Alert, 'id'>): Promise<Alert | null> {
    return guard(async () => {
      const id = newId();
      try {
        await this.m.OpenAlert.collection.insertOne({ _id: `${alert.pairId}:${alert.signalKey}` as never, alertId: id });
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
      await this.m.Alert.collection.insertOne({ ...alert, _id: id as never });
      return { ...alert, id };
    });
  }

  resolve(alert: Alert): Promise<void> {
    return guard(async () => {
      await this.save({ ...alert, state: 'resolved' });
      await this.m.OpenAlert.deleteOne({ _id: `${alert.pairId}:${alert.signalKey}` });
    });
  }

  listOpen(): Promise<Alert[]> {
    return guard(async () => (await this.m.Alert.find({ state: 'open' }).lean()).map((d) => withId<Alert>(d)!));
  }
}
