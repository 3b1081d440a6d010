import { literal, t, type Text } from './flow.ts';
import { GOALS } from './model.ts';

/** One of the goals offered as buttons (stored by its code), not one she wrote herself. */
export const isListedGoal = (goal: string): boolean => (GOALS as readonly string[]).includes(goal);

/** A goal as a reader sees it: a listed one in her language, her own words as she wrote them. */
export const goalLabel = (goal: string): Text =>
  isListedGoal(goal) ? t(`registration:goals.options.${goal}`) : literal(goal);
