import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { defineJob } from '../jobs/jobs.ts';
import type { Config } from '../config.ts';

const ZMailPayload = z.object({
  agencyId: z.uuid().nullable(),
  to: z.email(),
  subject: z.string().min(1).max(300),
  text: z.string().max(100_000),
});
export type TMailPayload = z.infer<typeof ZMailPayload>;

/**
 * Sends one mail: through SMTP when SMTP_URL is set, otherwise written as an .eml file to
 * DATA_DIR/outbox (admins read it in the UI). Enqueue it in the transaction that decides to send.
 */
export const sendMailJob = defineJob({
  type: 'mail.send',
  payload: ZMailPayload,
  maxAttempts: 10,
  handle: async ({ deps, db }, mail) => {
    const { config } = deps;
    const message = { from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text };
    if (config.smtpUrl) {
      await nodemailer.createTransport(config.smtpUrl).sendMail(message);
      await db.insertInto('mailLog').values({ agencyId: mail.agencyId, toAddress: mail.to, subject: mail.subject, transport: 'smtp' }).execute();
      return;
    }
    const fileName = await writeEml(config, message);
    await db.insertInto('mailLog').values({ agencyId: mail.agencyId, toAddress: mail.to, subject: mail.subject, transport: 'file', fileName }).execute();
  },
});

async function writeEml(config: Config, message: { from: string; to: string; subject: string; text: string }): Promise<string> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(message);
  await mkdir(config.outboxDir, { recursive: true });
  const fileName = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
  await writeFile(path.join(config.outboxDir, fileName), info.message as Buffer);
  return fileName;
}
