import { describe, expect, it } from 'vitest';
import { triageKeywords } from '../../src/app.ts';
import { LOCALES } from '../../src/core/model.ts';
import { readByKeywords } from '../../src/services/programme/triage.service.ts';

const lists = triageKeywords();

describe('the keyword fallback of the check-in triage', () => {
  it('has a high and a low list in every language', () => {
    for (const l of LOCALES) {
      expect(lists[l]?.high.length, l).toBeGreaterThan(5);
      expect(lists[l]?.low.length, l).toBeGreaterThan(5);
    }
  });

  it.each([
    ['fi', 'Haluan lopettaa mentoroinnin, en jaksa enää.', 'high'],
    ['fi', 'Meillä oli kiire, tapaaminen peruttiin.', 'low'],
    ['fi', 'Hyvä tapaaminen, harjoittelimme työhaastattelua.', 'none'],
    ['en', "I want to give up, I can't go on like this.", 'high'],
    ['en', 'We were both busy this month.', 'low'],
    ['en', 'We worked on my CV and it went quite well.', 'none'],
    ['ru', 'Я хочу бросить программу, наставница не отвечает.', 'high'],
    ['ru', 'Было сложно найти время.', 'low'],
    ['ru', 'Всё хорошо, обсуждали резюме.', 'none'],
    ['uk', 'Я хочу кинути програму.', 'high'],
    ['uk', 'Дуже важко, немає часу.', 'low'],
    ['uk', 'Усе добре, говорили про роботу.', 'none'],
    ['ar', 'أريد الانسحاب من البرنامج.', 'high'],
    ['ar', 'كنت مشغولة هذا الشهر.', 'low'],
    ['ar', 'كان اللقاء جيدًا وتحدثنا عن السيرة الذاتية.', 'none'],
  ])('%s: %s -> %s', (_lng, text, risk) => {
    expect(readByKeywords(text, lists).risk).toBe(risk);
  });

  it('names the words it found, the longest of overlapping ones', () => {
    expect(readByKeywords('Хочу кинути все', lists).reason).toBe('"кинути"');
  });
});
