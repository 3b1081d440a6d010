import type { Flow } from '../src/core/flow.ts';
import { checkinFlow } from './checkin/checkin.flow.ts';
import { commitmentFlow } from './commitment/commitment.flow.ts';
import { askTextFlow, pickFlow, pickManyFlow } from './generic/generic.flows.ts';
import { languageFlow } from './language/language.flow.ts';
import { meetingFlow } from './meeting/meeting.flow.ts';
import { actorRegistrationFlow } from './registration/actor-registration.flow.ts';
import { mentorRegistrationFlow } from './registration/mentor-registration.flow.ts';
import { welcomeFlow } from './welcome/welcome.flow.ts';

export const allFlows: ReadonlyMap<string, Flow> = new Map(
  [actorRegistrationFlow, mentorRegistrationFlow, languageFlow, welcomeFlow, pickFlow, pickManyFlow, askTextFlow, meetingFlow, commitmentFlow, checkinFlow].map((f) => [f.name, f]),
);
