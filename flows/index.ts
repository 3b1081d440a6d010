import type { Flow } from '../src/core/flow.ts';
import { languageFlow } from './language/language.flow.ts';
import { actorRegistrationFlow } from './registration/actor-registration.flow.ts';
import { mentorRegistrationFlow } from './registration/mentor-registration.flow.ts';
import { welcomeFlow } from './welcome/welcome.flow.ts';

export const allFlows: ReadonlyMap<string, Flow> = new Map(
  [actorRegistrationFlow, mentorRegistrationFlow, languageFlow, welcomeFlow].map((f) => [f.name, f]),
);
