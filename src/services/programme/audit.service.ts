import type { ParticipantRepository, RecordStore } from '../../core/ports.ts';
import type { AuditPort } from '../../core/documentation.ts';
import type { AuditEntry } from '../../core/privacy.ts';
import type { AuditLog } from '../../core/privacy.operations.ts';

const SHOWN = 20;

/**
 * Officers' reads of personal data, kept as who, whose, when and what (never the data read). Any feature
 * that shows an officer someone's personal data calls `record` before it answers.
 */
export class AuditService {
  constructor(
    private readonly entries: RecordStore<AuditEntry>,
    private readonly participants: ParticipantRepository,
  ) {}

  async record(officerId: string, subjectId: string, what: string, at: Date, ref?: string): Promise<void> {
    await this.entries.create({ officerId, subjectId, what, at, ...(ref ? { ref } : {}) });
  }

  /** The same log behind the documentation's port (one collection, one shape, one `/audit`). */
  asPort(): AuditPort {
    return { record: (e) => this.record(e.actorId, e.subjectId, e.what, e.at, e.ref) };
  }

  /** Every read of her data, oldest first: part of what /mydata gives her. */
  async about(subjectIds: readonly string[]): Promise<AuditEntry[]> {
    const found = (await Promise.all(subjectIds.map((id) => this.entries.find({ subjectId: id })))).flat();
    return found.sort((a, b) => +a.at - +b.at);
  }

  async latest(limit = SHOWN): Promise<AuditEntry[]> {
    return (await this.entries.find({})).sort((a, b) => +b.at - +a.at).slice(0, limit);
  }

  /** /audit: the latest reads, newest first, with the names of the officers who read. */
  async list(): Promise<AuditLog> {
    const latest = await this.latest();
    const officers = await this.participants.findByIds([...new Set(latest.map((e) => e.officerId))]);
    return latest.map((entry) => ({
      entry,
      officerName: officers.get(entry.officerId)?.displayName ?? entry.officerId,
    }));
  }
}
