import type { Text } from './core/flow.ts';
import { t } from './core/flow.ts';
import { ParticipantStatus, Role } from './core/model.ts';
import type { Clock, ParticipantRepository, RecordStore } from './core/ports.ts';
import { parseShift, travel, VirtualClock } from './services/virtual-time.ts';

/** `console_clock`: how far the console's programme time runs ahead of real time. */
export interface ClockShift {
  id: string;
  shiftMs: number;
}
const SHIFT_ID = 'shift';
const PREFIX = 'console:';
/** Who speaks first when OFFICER_CONSOLE_NAMES names nobody. */
export const FIRST_CONSOLE_PERSON = 'officer';

export interface ConsoleChatDeps {
  participants: ParticipantRepository;
  clock: Clock;
  shifts: RecordStore<ClockShift>;
  /** The scheduler's jobs at one moment, and when the next message falls due (for `/clock`). */
  runDue: (now: Date) => Promise<void>;
  nextDue: (after: Date) => Promise<Date | undefined>;
  timeZone: string;
  officerNames: readonly string[];
}

/** The console chat's side of the programme: its people, its first officer and its clock. */
export class ConsoleChat {
  constructor(private readonly d: ConsoleChatDeps) {}

  get first(): string {
    return this.d.officerNames[0] ?? FIRST_CONSOLE_PERSON;
  }

  /** The console's programme time as it was left (a restart does not turn it back). */
  async restoreClock(): Promise<void> {
    const shift = await this.d.shifts.get(SHIFT_ID);
    if (shift && this.d.clock instanceof VirtualClock) this.d.clock.advanceTo(Date.now() + shift.shiftMs);
  }

  /**
   * The console's officers: those configured, or, while the programme has no officer at all, the first
   * person (the one trying the console runs the local programme).
   */
  async officers(): Promise<string[]> {
    if (this.d.officerNames.length) return [...this.d.officerNames];
    return (await this.d.participants.list('officer', ParticipantStatus.options)).length ? [] : [this.first];
  }

  async people(): Promise<{ name: string; role: Role }[]> {
    const people: { name: string; role: Role }[] = [];
    for (const role of Role.options) {
      for (const p of await this.d.participants.list(role, ParticipantStatus.options)) {
        const identity = p.identities.find((i) => i.startsWith(PREFIX));
        if (identity) people.push({ name: identity.slice(PREFIX.length), role });
      }
    }
    return people;
  }

  /** What someone new to this run says first: an officer sees her commands, a newcomer starts registering. */
  opening(person: { role?: Role } | undefined): string | undefined {
    if (!person) return '/start role';
    return person.role === 'officer' ? '/officerhelp' : undefined;
  }

  /** `/clock` (where the time is) or `/clock +3d` (move it, sending what falls due on the way). */
  async clock(args: string): Promise<Text[]> {
    const clock = this.d.clock;
    const at = (d: Date) => ({ date: d.toISOString(), timeZone: this.d.timeZone });
    if (!args) return [t('console:clock.now', { time: at(clock.now()) }), t('console:clock.usage')];
    const ms = parseShift(args);
    if (ms === undefined || !(clock instanceof VirtualClock)) return [t('console:clock.usage')];
    const moved = await travel(
      {
        clock,
        runDue: this.d.runDue,
        nextDue: this.d.nextDue,
        moved: (shiftMs) => this.d.shifts.save({ id: SHIFT_ID, shiftMs }),
      },
      ms,
    );
    return [t('console:clock.moved', { from: at(moved.from), to: at(moved.to) })];
  }
}
