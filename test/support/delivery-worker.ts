/**
 * A separate bot process that only delivers: started by the delivery test and killed with SIGKILL
 * in the middle of sending, to prove that a dead instance loses no message.
 */
import { deliveryInstance } from './delivery-fixture.ts';
import { silentLogger } from './logger.ts';

const [mongoUri, apiRoot, token] = process.argv.slice(2) as [string, string, string];
const instance = await deliveryInstance({
  mongoUri,
  apiRoot,
  token,
  instanceId: 'worker',
  clock: { now: () => new Date() },
  logger: silentLogger,
});
process.stdout.write('ready\n');
for (;;) await instance.dispatcher.sweep();
