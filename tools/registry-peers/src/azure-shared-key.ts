import { createHmac } from 'node:crypto';

/**
 * The x-ms-version signed requests send: the newest Azurite 3.35 accepts without
 * --skipApiVersionCheck, and one real Azure Storage takes too.
 */
export const azureStorageApiVersion = '2025-11-05';

/** A storage account's name and base64 key, as in a connection string. */
export interface SharedKeyAccount {
  name: string;
  key: string;
}

// The standard headers, in the order the string to sign lists them.
const signedHeaders = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
];

/**
 * `headers` plus x-ms-date, x-ms-version and a SharedKey Authorization for a Blob service
 * request, built as "Authorize with Shared Key" describes (the 2009-09-19+ string to sign),
 * as @azure/storage-blob's StorageSharedKeyCredential does. With an emulator's path-style URL
 * (http://HOST/ACCOUNT/…) the account appears twice in the canonicalized resource, as in the
 * SDK's. Only what createContainer needs: no repeated query parameters.
 */
export function signSharedKey(
  method: string,
  url: URL,
  account: SharedKeyAccount,
  headers: Record<string, string> = {},
): Record<string, string> {
  const all: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': azureStorageApiVersion,
  };
  // Since 2015-02-21 a zero Content-Length is signed as empty.
  const standard = signedHeaders.map((name) =>
    name === 'content-length' && all[name] === '0' ? '' : (all[name] ?? ''),
  );
  const canonicalHeaders = Object.entries(all)
    .filter(([name]) => name.startsWith('x-ms-'))
    .sort(byName)
    .map(([name, value]) => `${name}:${value.replace(/\s+/g, ' ').trim()}\n`)
    .join('');
  const query = [...url.searchParams]
    .map(([name, value]): [string, string] => [name.toLowerCase(), value])
    .sort(byName)
    .map(([name, value]) => `\n${name}:${value}`)
    .join('');
  const resource = `/${account.name}${url.pathname}${query}`;
  const standardLines = [method.toUpperCase(), ...standard].join('\n');
  const stringToSign = `${standardLines}\n${canonicalHeaders}${resource}`;
  const signature = createHmac('sha256', Buffer.from(account.key, 'base64'))
    .update(stringToSign, 'utf8')
    .digest('base64');
  return { ...all, authorization: `SharedKey ${account.name}:${signature}` };
}

function byName([a]: [string, string], [b]: [string, string]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
