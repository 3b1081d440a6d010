import type { AlertRepository } from '../../src/core/ports.ts';
import { Alert } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import { newId } from './ids.ts';
import type { Models } from './models.ts';

/** `_id` = `<pairId>:<signalKey>` while an alert is open. */
interface OpenAlertDocument {
  _id: string;
  alertId: string;
}

export class MongoAlertRepository extends MongoDocuments<Alert> implements AlertRepository {
  constructor(private readonly m: Models) {
    super(m.Alert.db, m.Alert.collection.collectionName, Alert);
  }

  open(alert: Omit<Alert, 'id'>): Promise<Alert | null> {
    return guard(async () => {
      const id = newId();
      const open = this.m.OpenAlert.db.collection<OpenAlertDocument>(this.m.OpenAlert.collection.collectionName);
      try {
        await open.insertOne({ _id: `${alert.pairId}:${alert.signalKey}`, alertId: id });
      } catch (err) {
        if (isDuplicateKey(err)) return null;
        throw err;
      }
      await this.collection.insertOne({ ...alert, _id: id });
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
    return guard(async () => this.parseAll(await this.m.Alert.find({ state: 'open' }).lean()));
  }
}
