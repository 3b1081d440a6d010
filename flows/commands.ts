import type { CommandHandler, Effect } from '../src/core/flow.ts';
import { t } from '../src/core/flow.ts';
import { invoke } from '../src/core/operation.ts';
import {
  beginAnnouncement,
  beginAttendance,
  beginCohort,
  beginCounselling,
  beginGroupMeeting,
  beginMeeting,
  beginSpaces,
  completePair,
  documentPair,
  listPairs,
  showTimeline,
  withdrawWho,
} from '../src/core/operations.ts';
import { setDaily, showVocab } from '../src/core/vocab.operations.ts';
import { beginDeletion, exportMyData, listAudit, showPrivacy } from '../src/core/privacy.operations.ts';
import { beginReport } from '../src/core/reports.operations.ts';
import { announcementSetting, beginAnonymous, listCounselling } from '../src/core/support.operations.ts';
import { beginEnding, closePair } from '../src/core/ending.operations.ts';
import { bindSpace, inviteOfficer, listWaitingActors } from '../src/core/pairs.operations.ts';
import { listMeetings } from '../src/core/meetings.operations.ts';

/** Every programme command: who may type it, and the operation it invokes with what she typed after it. */
/** `/document [<pair id>] [private]`: the words in any order. */
function documentArgs(args: string): { pairId?: string; withPrivateNotes: boolean } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const withPrivateNotes = words.some((w) => w.toLowerCase() === 'private');
  const pairId = words.find((w) => w.toLowerCase() !== 'private');
  return { ...(pairId ? { pairId } : {}), withPrivateNotes };
}

/** `/vocab`, `/vocab daily`, `/vocab daily off` (also `stop`, `pois`), or a field's name. */
function vocabCommand(args: string): Effect {
  const words = args.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words[0] === 'daily') return invoke(setDaily, { on: !['off', 'stop', 'pois', 'no'].includes(words[1] ?? '') });
  return invoke(showVocab, { choice: words.length ? words.join(' ') : '' });
}

const command = (roles: CommandHandler['roles'], run: CommandHandler['run']): CommandHandler => ({ roles, run });

export function programmeCommands(): Map<string, CommandHandler> {
  const officer = ['officer'] as const;
  const member = ['actor', 'mentor'] as const;
  return new Map<string, CommandHandler>([
    ['waiting', command(officer, async () => [invoke(listWaitingActors, {})])],
    ['pairs', command(officer, async () => [invoke(listPairs, {})])],
    [
      'complete',
      command(officer, async (args) =>
        args ? [invoke(completePair, { pairId: args })] : [{ type: 'say', text: [t('overview:complete.usage')] }],
      ),
    ],
    ['invite', command(officer, async () => [invoke(inviteOfficer, {})])],
    ['cohort', command(officer, async () => [invoke(beginCohort, {})])],
    ['groupmeeting', command(officer, async () => [invoke(beginGroupMeeting, {})])],
    ['attendance', command(officer, async () => [invoke(beginAttendance, {})])],
    ['officerhelp', command(officer, async () => [{ type: 'say', text: [t('officer:help')] }])],
    ['peergroup', command(officer, async () => [invoke(beginSpaces, {})])],
    ['bind', command(officer, async (args) => [invoke(bindSpace, { code: args })])],
    ['withdraw', command(officer, async () => [invoke(withdrawWho, {})])],
    ['requests', command(officer, async () => [invoke(listCounselling, {})])],
    ['mydata', command([...member, 'officer'], async () => [invoke(exportMyData, {})])],
    ['delete', command([...member, 'officer'], async () => [invoke(beginDeletion, {})])],
    ['audit', command(officer, async () => [invoke(listAudit, {})])],
    ['announce', command(officer, async () => [invoke(beginAnnouncement, {})])],
    ['report', command(officer, async () => [invoke(beginReport, {})])],
    ['document', command([...member, 'officer'], async (args) => [invoke(documentPair, documentArgs(args))])],
    ['ask', command(['actor'], async () => [invoke(beginAnonymous, {})])],
    ['vocab', command(['actor'], async (args) => [vocabCommand(args)])],
    ['counselling', command(member, async () => [invoke(beginCounselling, {})])],
    ['announcements', command(member, async () => [invoke(announcementSetting, {})])],
    ['privacy', command(member, async () => [invoke(showPrivacy, {})])],
    ['meet', command(member, async () => [invoke(beginMeeting, {})])],
    ['meetings', command(member, async () => [invoke(listMeetings, {})])],
    ['endpair', command([...member, 'officer'], async (args) => [invoke(beginEnding, args ? { pairId: args } : {})])],
    [
      'closepair',
      command(officer, async (args) =>
        args ? [invoke(closePair, { pairId: args })] : [{ type: 'say', text: [t('completion:close_usage')] }],
      ),
    ],
    [
      'timeline',
      // A partner's own pair, whatever she types after it; an officer names the pair.
      command([...member, 'officer'], async (args, ctx) => [
        invoke(showTimeline, ctx.participant?.role === 'officer' && args ? { pairId: args } : {}),
      ]),
    ],
  ]);
}
