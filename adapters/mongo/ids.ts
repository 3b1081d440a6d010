export { newId } from '../../src/core/ids.ts';
