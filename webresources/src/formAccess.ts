/// <reference types="xrm" />
/**
 * Typed, null-safe reads of form attributes. @types/xrm returns `T | null` from getAttribute/getControl:
 * a customizer may remove any column from the form, so every read tolerates a missing one.
 */

export type FormContext = Xrm.FormContext;

export function attributeOf(fc: FormContext, name: string): Xrm.Attributes.Attribute | null {
  return fc.getAttribute(name) ?? null;
}

export function valueOf(fc: FormContext, name: string): unknown {
  const attribute = attributeOf(fc, name);
  return attribute ? (attribute.getValue() as unknown) : null;
}

export function stringValue(fc: FormContext, name: string): string | null {
  const value = valueOf(fc, name);
  return typeof value === "string" && value !== "" ? value : null;
}

export function numberValue(fc: FormContext, name: string): number | null {
  const value = valueOf(fc, name);
  return typeof value === "number" && !Number.isNaN(value) ? value : null;
}

export function booleanValue(fc: FormContext, name: string): boolean {
  return valueOf(fc, name) === true;
}

export function dateValue(fc: FormContext, name: string): Date | null {
  const value = valueOf(fc, name);
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

export interface LookupRef {
  id: string;
  entityType: string;
  name: string | null;
}

/** A GUID as the Web API wants it: no braces, lower case. */
export function normalizeId(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

export function lookupValue(fc: FormContext, name: string): LookupRef | null {
  const value = valueOf(fc, name);
  if (!Array.isArray(value) || value.length === 0) return null;
  const first = value[0] as Partial<Xrm.LookupValue>;
  if (!first.id || !first.entityType) return null;
  return { id: normalizeId(first.id), entityType: first.entityType, name: first.name ?? null };
}

/** A date-only column as the form holds it (local midnight) to YYYY-MM-DD. */
export function toDateOnly(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The record id, or null while the record has not been saved. */
export function recordId(fc: FormContext): string | null {
  const id = fc.data?.entity?.getId?.() ?? "";
  return id ? normalizeId(id) : null;
}

/** Every control of an attribute (a column can sit in the header and in the body). */
export function controlsOf(fc: FormContext, name: string): Xrm.Controls.StandardControl[] {
  const attribute = attributeOf(fc, name);
  const out: Xrm.Controls.StandardControl[] = [];
  attribute?.controls?.forEach((control: Xrm.Controls.Control) => {
    out.push(control as Xrm.Controls.StandardControl);
  });
  return out;
}
