import type { DbOrTx } from '#db/client';

// The records a contracts import refers to by name, email or code: looked up in
// batches (never one query per row), then matched in memory.

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => Boolean(v)))];

export interface SupplierMatch {
  id: string;
  name: string;
  status: string;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

const companyKey = (value: string) => value.replace(/\s+/g, '').toUpperCase();

export interface ImportLookups {
  supplier(text: string): Resolved<SupplierMatch>;
  officer(email: string): Resolved<{ id: string }>;
  measure(code: string): Resolved<{ id: string; code: string; proxyValuePence: number }>;
  ward(name: string): Resolved<{ id: string }>;
  /** The references among those given that are already in the database (as stored). */
  existingReferences: Map<string, string>;
}

const quote = (text: string) => `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;

export async function loadImportLookups(
  db: DbOrTx,
  wanted: { references: Array<string | null>; emails: Array<string | null>; measureCodes: Array<string | null> },
): Promise<ImportLookups> {
  // Suppliers and wards are few (hundreds at most): read them all.
  const suppliers = await db
    .selectFrom('organisation')
    .select(['id', 'name', 'status', 'company_number'])
    .where('kind', '=', 'supplier')
    .execute();
  const supplierByName = new Map(suppliers.map((s) => [s.name.trim().toLowerCase(), s]));
  const suppliersByNumber = new Map<string, typeof suppliers>();
  for (const s of suppliers) {
    if (!s.company_number) continue;
    const key = companyKey(s.company_number);
    suppliersByNumber.set(key, [...(suppliersByNumber.get(key) ?? []), s]);
  }

  const wards = await db.selectFrom('ward').select(['id', 'name']).orderBy('name').execute();
  const wardByName = new Map(wards.map((w) => [w.name.trim().toLowerCase(), w]));

  const users = new Map<string, { id: string; role: string; status: string }>();
  for (const batch of chunks(distinct(wanted.emails))) {
    const rows = await db.selectFrom('user').select(['id', 'email', 'role', 'status']).where('email', 'in', batch).execute();
    for (const u of rows) users.set(u.email.toLowerCase(), u);
  }

  const measures = new Map<string, { id: string; code: string; proxy_value_pence: number; active: number }>();
  for (const batch of chunks(distinct(wanted.measureCodes))) {
    // measure.code is COLLATE NOCASE, so IN matches whatever the case.
    const rows = await db.selectFrom('measure').select(['id', 'code', 'proxy_value_pence', 'active']).where('code', 'in', batch).execute();
    for (const m of rows) measures.set(m.code.toLowerCase(), m);
  }

  const existingReferences = new Map<string, string>();
  for (const batch of chunks(distinct(wanted.references))) {
    // contract.reference is COLLATE NOCASE, so this finds "nbc-1" when the file says "NBC-1".
    const rows = await db.selectFrom('contract').select('reference').where('reference', 'in', batch).execute();
    for (const r of rows) existingReferences.set(r.reference.toLowerCase(), r.reference);
  }

  return {
    supplier(text) {
      const byName = supplierByName.get(text.trim().toLowerCase());
      const byNumber = suppliersByNumber.get(companyKey(text)) ?? [];
      if (!byName && byNumber.length > 1) {
        return { ok: false, message: `More than one supplier has company number ${quote(text)}. Give the supplier’s name instead` };
      }
      const found = byName ?? byNumber[0];
      if (!found) {
        return { ok: false, message: `There is no supplier organisation with the name or company number ${quote(text)}. Check the spelling, or add the supplier (by inviting a contractor) first` };
      }
      if (found.status !== 'verified') {
        return { ok: false, message: `${found.name} is not a verified supplier (it is ${found.status}). Only verified suppliers can hold contracts` };
      }
      return { ok: true, value: { id: found.id, name: found.name, status: found.status } };
    },
    officer(email) {
      const user = users.get(email.toLowerCase());
      if (!user) return { ok: false, message: `There is no user with the email address ${quote(email)}. The responsible officer must be a council officer or administrator with an account` };
      if (user.role !== 'officer' && user.role !== 'admin') return { ok: false, message: `${email} is not a council officer or administrator, so cannot be the responsible officer` };
      if (user.status !== 'active') return { ok: false, message: `${email}’s account is deactivated. Choose an active officer` };
      return { ok: true, value: { id: user.id } };
    },
    measure(code) {
      const measure = measures.get(code.toLowerCase());
      if (!measure) return { ok: false, message: `There is no measure with the code ${quote(code)} in the measures framework` };
      if (!measure.active) return { ok: false, message: `Measure ${measure.code} is retired. Choose an active measure` };
      return { ok: true, value: { id: measure.id, code: measure.code, proxyValuePence: measure.proxy_value_pence } };
    },
    ward(name) {
      const ward = wardByName.get(name.trim().toLowerCase());
      if (ward) return { ok: true, value: { id: ward.id } };
      const names = wards.map((w) => w.name);
      const list = names.length && names.length <= 40 ? `. The wards are: ${names.join(', ')}` : '';
      return { ok: false, message: `There is no ward called ${quote(name)}${list}` };
    },
    existingReferences,
  };
}
