export {
  actorIntro,
  actorLine,
  days,
  language,
  mentorIntro,
  nameOf,
  onDay,
  timelineLine,
  when,
} from '../../core/labels.ts';
