'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createVm } from '@/lib/admin/onboarding';
import { type ImportCandidate, MAX_OBJECTS_CACHE_BYTES, type NagiosHost, importCandidates, parseObjectsCache, vmHostnameFor } from '@/lib/admin/nagios-objects';
import { staffActor } from '@/lib/auth/action-caller';
import type { PortalUser } from '@/lib/auth/current-user';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { accountByKey, listVmsForStaff, planBySlug } from '@/lib/db/queries/onboarding';

type Database = ReturnType<typeof getDb>;

// Import from Nagios in two plain POSTs: "parse" reads objects.cache and lists its hosts; "create" makes
// a VM of each host ticked, through createVm (the checks and the audit entry of any other new VM). Both
// steps take everything from the form, so they work without JavaScript and keep nothing on the server.

export interface ImportChoice {
  accountKey: string;
  planSlug: string;
  ubuntuRelease: string;
}

export interface ImportResult {
  hostName: string;
  hostname: string;
  created: boolean;
  /** What happened, in words: the new VM, or every reason it was not created. */
  detail: string;
}

export type ImportState =
  | { step: 'paste'; problems?: string[]; choice?: ImportChoice; text?: string }
  | { step: 'confirm'; choice: ImportChoice; candidates: ImportCandidate[]; problems: string[]; source: string }
  | { step: 'done'; choice: ImportChoice; results: ImportResult[] };

/** A pasted text up to this size comes back in the form after a problem; a larger one is not echoed. */
const ECHO_LIMIT = 64 * 1024;
const MB = MAX_OBJECTS_CACHE_BYTES / 1024 / 1024;

const choiceSchema = z.object({
  accountKey: z.string().trim().min(1, 'Choose the account the VMs belong to.'),
  planSlug: z.string().trim().min(1, 'Choose a plan.'),
  ubuntuRelease: z
    .string()
    .trim()
    .regex(/^\d{2}\.\d{2}$/, 'Ubuntu release: a version like 24.04.'),
});

// The hosts as the confirm form carries them back (a hidden field): checked again by createVm.
const hostsSchema = z
  .array(
    z.object({
      hostName: z.string().min(1).max(1000),
      alias: z.string().max(1000).nullable(),
      address: z.string().max(1000).nullable(),
      parents: z.array(z.string().max(1000)).max(1000),
    }),
  )
  .max(100_000);

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

async function readChoice(db: Database, form: FormData): Promise<{ choice: ImportChoice; problems: string[] }> {
  const raw = { accountKey: field(form, 'accountKey'), planSlug: field(form, 'planSlug'), ubuntuRelease: field(form, 'ubuntuRelease') };
  const parsed = choiceSchema.safeParse(raw);
  if (!parsed.success) return { choice: raw, problems: parsed.error.issues.map((i) => i.message) };
  const choice = parsed.data;
  const [account, plan] = await Promise.all([accountByKey(db, choice.accountKey), planBySlug(db, choice.planSlug)]);
  const problems = [...(account ? [] : [`No account has the key "${choice.accountKey}".`]), ...(plan ? [] : [`No plan has the slug "${choice.planSlug}".`])];
  return { choice, problems };
}

async function existingNames(db: Database): Promise<Set<string>> {
  return new Set((await listVmsForStaff(db)).map((v) => v.nagiosHostName));
}

/** The file's text: an uploaded file if one was chosen, else the pasted text. */
async function readText(form: FormData): Promise<{ text: string; source: string } | { problem: string }> {
  const file = form.get('file');
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_OBJECTS_CACHE_BYTES) return { problem: `The file is larger than ${MB} MB. Paste the define host blocks only, or split the file.` };
    return { text: await file.text(), source: `the uploaded file ${file.name.slice(0, 100)}` };
  }
  const text = field(form, 'text');
  if (text.trim() === '') return { problem: 'Paste the contents of objects.cache, or choose the file.' };
  if (Buffer.byteLength(text) > MAX_OBJECTS_CACHE_BYTES) return { problem: `The text is larger than ${MB} MB. Paste the define host blocks only, or split it.` };
  return { text, source: 'the pasted text' };
}

async function parseStep(db: Database, form: FormData): Promise<ImportState> {
  const { choice, problems } = await readChoice(db, form);
  const pasted = field(form, 'text');
  const echo = pasted.length <= ECHO_LIMIT ? pasted : undefined;
  const read = await readText(form);
  if ('problem' in read) return { step: 'paste', problems: [read.problem, ...problems], choice, text: echo };
  const parsed = parseObjectsCache(read.text);
  if (parsed.hosts.length === 0) {
    return {
      step: 'paste',
      problems: [
        `No host in ${read.source}: is it Nagios's objects.cache (object_cache_file in nagios.cfg, /var/lib/nagios4/objects.cache on Debian)?`,
        ...problems,
        ...parsed.problems,
      ],
      choice,
      text: echo,
    };
  }
  if (problems.length > 0) return { step: 'paste', problems, choice, text: echo };
  return { step: 'confirm', choice, candidates: importCandidates(parsed.hosts, await existingNames(db)), problems: parsed.problems, source: read.source };
}

async function createStep(db: Database, user: PortalUser, form: FormData): Promise<ImportState> {
  const staff = await staffActor(user);
  const { choice, problems } = await readChoice(db, form);
  let hosts: NagiosHost[];
  try {
    hosts = hostsSchema.parse(JSON.parse(field(form, 'hosts')));
  } catch {
    return { step: 'paste', problems: ['The list of hosts did not come back intact: read the file again.'], choice };
  }
  const selected = new Set(form.getAll('create').filter((v): v is string => typeof v === 'string'));
  const candidates = importCandidates(hosts, await existingNames(db));
  if (problems.length > 0 || selected.size === 0) {
    return { step: 'confirm', choice, candidates, problems: problems.length > 0 ? problems : ['Tick at least one host to create.'], source: 'the list above' };
  }
  const results: ImportResult[] = [];
  for (const c of candidates) {
    if (!selected.has(c.hostName)) continue;
    const hostname = vmHostnameFor(c);
    if (c.status !== 'new') {
      results.push({ hostName: c.hostName, hostname, created: false, detail: c.note ?? c.status });
      continue;
    }
    const saved = await createVm(db, staff, { ...choice, nagiosHostName: c.hostName, hostname, address: c.address });
    results.push(
      saved.ok
        ? { hostName: c.hostName, hostname, created: true, detail: `Created (VM ${saved.value}).` }
        : { hostName: c.hostName, hostname, created: false, detail: saved.error.join(' ') },
    );
  }
  for (const name of selected) {
    if (!candidates.some((c) => c.hostName === name)) results.push({ hostName: name, hostname: name, created: false, detail: 'Not in the file that was read.' });
  }
  if (results.some((r) => r.created)) {
    revalidatePath('/admin/vms');
    revalidatePath('/admin');
  }
  return { step: 'done', choice, results };
}

/** Both steps of the import: the form's hidden `step` says which. */
export async function importFromNagios(_previous: ImportState, form: FormData): Promise<ImportState> {
  const user = await requireStaff();
  const db = getDb();
  if (form.has('restart')) return { step: 'paste', choice: { accountKey: field(form, 'accountKey'), planSlug: field(form, 'planSlug'), ubuntuRelease: field(form, 'ubuntuRelease') } };
  return field(form, 'step') === 'create' ? createStep(db, user, form) : parseStep(db, form);
}
