import type { Delivery } from '../../src/core/messages.ts';
import type { ChannelPort } from '../../src/core/ports.ts';

/** A channel that keeps what it was asked to send (our own port, not an SDK). */
export class RecordingChannel implements ChannelPort {
  readonly sent: Delivery[] = [];
  constructor(readonly platform = 'test') {}
  async deliver(delivery: Delivery): Promise<string> {
    this.sent.push(delivery);
    return String(this.sent.length);
  }
  get last(): Delivery | undefined {
    return this.sent.at(-1);
  }
  texts(): string[] {
    return this.sent.map((d) => d.message.text);
  }
}
