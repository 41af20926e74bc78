import { describe, expect, it } from 'vitest';
import { ImportFileError, parseImportCsv } from '../../functions/core/email/import-csv.js';

const MAILCHIMP = [
  '\uFEFF"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LEID,TAGS',
  'Ada@Example.org,Ada,Lovelace,2,"2024-03-01 09:00:00",,"2024-03-01 09:05:10",,11,"a, b"',
  'not-an-address,Bad,Row,1,,,,,12,',
  '"multi",',
  'Ada@EXAMPLE.org,Ada,Again,2,,,,,13,',
  'grace@example.org,"Grace ""Amazing""",Hopper,5,"2023-12-24 18:00:00",,,,14,',
].join('\r\n');

const LISTMONK = [
  'uuid,email,name,attributes,status,created_at,updated_at',
  'a1,one@example.org,One,"{""city"": ""Kabul""}",enabled,2025-01-02T03:04:05Z,2025-01-02T03:04:05Z',
  'a2,two@example.org,Two,"{}",blocklisted,2025-01-02T03:04:05Z,2025-01-02T03:04:05Z',
].join('\n');

const BUTTONDOWN = [
  'email,notes,metadata,tags,creation_date,subscriber_type',
  'reader@example.org,"line one',
  'line two",{},[],2024-06-01T10:00:00Z,regular',
  'gone@example.org,,{},[],2024-06-01T10:00:00Z,unsubscribed',
].join('\n');

describe('parseImportCsv', () => {
  it('reads a Mailchimp export: the address column, the confirm time, bad rows and duplicates by line', () => {
    const parsed = parseImportCsv(MAILCHIMP);
    expect(parsed.source).toBe('mailchimp');
    expect(parsed.emailColumn).toBe('Email Address');
    expect(parsed.rows).toEqual([
      { line: 2, address: 'Ada@example.org', optedInAt: '2024-03-01T09:05:10.000Z' },
      { line: 6, address: 'grace@example.org', optedInAt: '2023-12-24T18:00:00.000Z' },
    ]);
    expect(parsed.invalid.map((p) => p.line)).toEqual([3, 4]);
    expect(parsed.invalid[0]?.reason).toMatch(/^"not-an-address": /);
    expect(parsed.duplicates).toEqual([{ line: 5, reason: 'Ada@example.org: already on line 2' }]);
  });

  it('reads a listmonk export and leaves out blocklisted rows', () => {
    const parsed = parseImportCsv(LISTMONK);
    expect(parsed.source).toBe('listmonk');
    expect(parsed.rows).toEqual([
      { line: 2, address: 'one@example.org', optedInAt: '2025-01-02T03:04:05.000Z' },
    ]);
    expect(parsed.notSubscribed).toEqual([
      { line: 3, reason: 'two@example.org: blocklisted in the source list' },
    ]);
  });

  it('reads a Buttondown export, counting lines inside quoted fields', () => {
    const parsed = parseImportCsv(BUTTONDOWN);
    expect(parsed.source).toBe('buttondown');
    expect(parsed.rows.map((r) => [r.line, r.address])).toEqual([[2, 'reader@example.org']]);
    expect(parsed.notSubscribed.map((p) => p.line)).toEqual([4]);
  });

  it('takes the address column by name when told, and refuses a file without one', () => {
    const text = 'Name,Contact\nAda,ada@example.org\n';
    expect(() => parseImportCsv(text)).toThrow(ImportFileError);
    expect(() => parseImportCsv(text)).toThrow(/--email-column/);
    expect(parseImportCsv(text, { emailColumn: 'contact' }).rows).toEqual([
      { line: 2, address: 'ada@example.org' },
    ]);
    expect(() => parseImportCsv(text, { emailColumn: 'mail' })).toThrow(/no column "mail"/);
    expect(() => parseImportCsv('')).toThrow(/empty/);
  });
});
