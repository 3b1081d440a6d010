import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/console.adapter.ts';
import { SlackAdapter } from '../../adapters/slack/slack.adapter.ts';
import { TelegramAdapter } from '../../adapters/telegram/telegram.adapter.ts';
import { ChannelError } from '../../src/core/errors.ts';
import { type Delivery, fileOf } from '../../src/core/messages.ts';
import { FakeSlack } from '../fakes/slack-web-api.ts';
import { FakeTelegram } from '../fakes/telegram-bot-api.ts';
import { silentLogger } from '../support/logger.ts';

// Finnish and Arabic in one file: the bytes must arrive exactly, BOM included.
const csv = '\uFEFFkaupunki;parit\nHelsinki;4\nالرياض;<3\n';
const report = (conversationId: string, text = 'Raportti / تقرير'): Delivery => ({
  conversationId,
  message: { type: 'document', text, file: fileOf('raportti-2026-q4.csv', 'text/csv', csv) },
});

describe('files reach her as documents', () => {
  const telegram = new FakeTelegram();
  const slack = new FakeSlack();
  let tg: TelegramAdapter;
  let sl: SlackAdapter;

  beforeAll(async () => {
    const apiRoot = await telegram.start();
    tg = new TelegramAdapter({ token: telegram.token, apiRoot, logger: silentLogger, onEvent: async () => {} });
    sl = new SlackAdapter({
      token: slack.token,
      signingSecret: 'secret',
      apiUrl: await slack.start(),
      logger: silentLogger,
      intake: { receive: async () => true },
    });
  });
  afterAll(async () => {
    await telegram.stop();
    await slack.stop();
  });

  it('Telegram: sendDocument with the bytes, the name and the caption', async () => {
    const id = await tg.deliver(report('telegram:501'));
    const sent = telegram.messages.find((m) => String(m.message_id) === id)!;
    expect(sent.chat_id).toBe(501);
    expect(sent.text).toBe('Raportti / تقرير');
    expect(sent.document?.file_name).toBe('raportti-2026-q4.csv');
    expect(sent.document?.bytes.toString('utf8')).toBe(csv);
  });

  it('Telegram: a caption over 1,024 characters goes first as a message, then the file', async () => {
    const long = 'pitkä selitys '.repeat(100);
    await tg.deliver(report('telegram:502', long));
    const inChat = telegram.messages.filter((m) => m.chat_id === 502);
    expect(inChat.map((m) => Boolean(m.document))).toEqual([false, true]);
    expect(inChat[0]!.text.trim()).toBe(long.trim());
    expect(inChat[1]!.text).toBe('');
  });

  it('Telegram: a blocked chat is a channel error, as for text', async () => {
    telegram.blocked.add(503);
    await expect(tg.deliver(report('telegram:503'))).rejects.toBeInstanceOf(ChannelError);
  });

  it('Slack: files.uploadV2 uploads the bytes and shares them in her DM with the comment', async () => {
    const id = await sl.deliver(report('slack:@U123'));
    expect(id).toMatch(/^F0TEST/);
    const [shared] = slack.messages.filter((m) => m.file);
    expect(shared!.channel).toBe('D123');
    expect(shared!.text).toBe('Raportti / تقرير');
    expect(shared!.file!.name).toBe('raportti-2026-q4.csv');
    expect(shared!.file!.bytes.toString('utf8')).toBe(csv);
    expect(slack.calls.map((c) => c.method)).toContain('files.completeUploadExternal');
  });

  it('console: the file is saved and its path shown', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c) => (printed += String(c)));
    const dir = `${process.env.TMPDIR ?? '/tmp'}/womento-files-test-${process.pid}`;
    const chat = new ConsoleAdapter({
      input: new PassThrough(),
      output,
      logger: silentLogger,
      onEvent: async () => {},
      filesDir: dir,
    });
    await chat.deliver(report('console:local'));
    const path = /📎 (\S+)/.exec(printed)?.[1];
    expect(path).toContain('raportti-2026-q4.csv');
    expect(await readFile(path!, 'utf8')).toBe(csv);
  });
});
