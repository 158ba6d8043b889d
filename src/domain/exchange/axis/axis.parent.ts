import { isAppError } from '../../../platform/errors.ts';
import type { AxisCaller } from './axis.auth.ts';
import { createAxisClient, type AxisClient } from './axis.client.ts';
import type { ParentAxis } from './axis.jobs.ts';
import { unpaddedSha256Hex } from './axis.protocol.ts';
import { axisRepo } from './axis.repository.ts';
import { PARENT_SENDER, sendEdoc, type AxisContext } from './axis.service.ts';

/**
 * The axis as a client of its parent (four-level interconnection: commune/district → province →
 * national): it registers the agencies it serves there, mirrors the parent's directory, and pulls the
 * packages the parent holds for it into the local inboxes (acknowledging each only once it is stored).
 */

export type ParentSync = { runOnce: () => Promise<{ imported: number; registered: number }>; stop: () => Promise<void> };

/** registerAgency at the parent for every live agency served here; deleteAgency for the deleted ones. */
async function registerLocalAgencies(ctx: AxisContext, client: AxisClient, done: Map<string, number>): Promise<number> {
  const rows = await axisRepo.listAgencies(ctx.deps.db, { includeDeleted: true });
  let count = 0;
  // Only what changed since the last successful registration (all of it once after a restart).
  for (const a of rows.filter((r) => r.source === 'local' && done.get(r.code) !== r.version)) {
    try {
      if (a.deleted) await client.deleteAgency(a.code);
      else await client.registerAgency({ id: String(a.id), pid: a.pid, code: a.code, name: a.name, mail: a.mail });
      done.set(a.code, a.version);
      count++;
    } catch (error) {
      // A deleted agency the parent never knew, or a code another system holds there: report, go on.
      ctx.deps.logger.warn({ code: a.code, err: error }, 'axis: parent refused agency registration');
    }
  }
  return count;
}

async function mirrorDirectory(ctx: AxisContext, client: AxisClient): Promise<void> {
  for (const unit of await client.getSynchronizeUnit()) {
    if (!unit.code) continue;
    await axisRepo.upsertParentAgency(ctx.deps.db, {
      code: String(unit.code), name: String(unit.name ?? ''), pid: String(unit.pid ?? '0'), mail: String(unit.mail ?? ''),
      centerCode: String(unit.centerCode ?? ''), deleted: unit.deleted === true,
    });
  }
}

/** Imports one package from the parent; returns the status to acknowledge it with. */
async function importOne(ctx: AxisContext, bytes: Uint8Array, messageType: 'edoc' | 'status'): Promise<'done' | 'fail'> {
  const caller: AxisCaller = {
    systemId: PARENT_SENDER,
    params: { systemid: PARENT_SENDER, 'hash-file': unpaddedSha256Hex(bytes), messagetype: messageType, servicetype: 'eDoc' },
  };
  try {
    await sendEdoc({ ctx, caller, body: bytes });
    return 'done';
  } catch (error) {
    // A package with no recipient served here, or not edXML: acknowledge as failed so it is not pulled forever.
    if (isAppError(error) && ['axis.no_recipient', 'axis.not_edxml'].includes(error.code)) {
      ctx.deps.logger.warn({ code: error.code }, `axis: package from parent refused: ${error.message}`);
      return 'fail';
    }
    throw error;
  }
}

async function pullPackages(ctx: AxisContext, client: AxisClient): Promise<number> {
  let imported = 0;
  for (const messageType of ['edoc', 'status'] as const) {
    for (const item of await client.getReceivedEdocList(messageType)) {
      if (!item.docId || item.status === 'done') continue;
      const bytes = await client.getEdoc(item.docId);
      const status = await importOne(ctx, bytes, messageType);
      // Acknowledged only after the package (blob + rows) is committed here: at-least-once.
      await client.updateStatus(item.docId, status);
      if (status === 'done') imported++;
    }
  }
  return imported;
}

/**
 * Starts the periodic exchange with the parent axis: directory and registrations every
 * `directoryMs`, package pull every `pollMs`. Failures are logged and retried at the next tick.
 */
export function startParentSync(ctx: AxisContext, parent: ParentAxis, options: { pollMs?: number; directoryMs?: number; autoStart?: boolean } = {}): ParentSync {
  const client = createAxisClient(parent);
  const pollMs = options.pollMs ?? 5000;
  const directoryMs = options.directoryMs ?? 60_000;
  let lastDirectory = 0;
  const registered = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const runOnce = async () => {
    let count = 0;
    if (Date.now() - lastDirectory >= directoryMs) {
      count = await registerLocalAgencies(ctx, client, registered);
      await mirrorDirectory(ctx, client);
      lastDirectory = Date.now();
    }
    return { imported: await pullPackages(ctx, client), registered: count };
  };
  const loop = async () => {
    if (stopped) return;
    running = runOnce().catch((error: unknown) => ctx.deps.logger.warn({ err: error }, 'axis: parent sync failed'));
    await running;
    if (!stopped) timer = setTimeout(loop, pollMs);
  };
  if (options.autoStart !== false) timer = setTimeout(loop, 0);
  return {
    runOnce: async () => {
      lastDirectory = 0;
      return runOnce();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      client.close();
    },
  };
}
