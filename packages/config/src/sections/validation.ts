import { ConfigError } from '../errors.js';
import type { Fields } from '../fields.js';
import type { ValidationConfig } from '../registry-config.js';
import { itemPath } from '../tree.js';

const platformChoices = ['all', 'list', 'none'] as const;

/** `validation`: which manifests the registry accepts. */
export function readValidation(root: Fields): ValidationConfig {
  const validation = root.child('validation');
  const legacyEnabled = validation.boolean('enabled', false);
  const disabled = validation.boolean('disabled', false);
  if (validation.get('enabled') === false && !disabled) {
    validation.warn(
      `${validation.at('enabled')}: false has no effect, as in distribution; use ${validation.at('disabled')}: true`,
    );
  }
  const manifests = validation.child('manifests');
  const urls = manifests.child('urls');
  const indexes = manifests.child('indexes');
  return {
    // distribution: `enabled` is the deprecated spelling; either turns validation on.
    enabled: legacyEnabled || !disabled,
    manifests: {
      urls: { allow: readPatterns(urls, 'allow'), deny: readPatterns(urls, 'deny') },
      indexes: {
        // distribution lower-cases this (its own example says `List`).
        platforms: indexes.choice('platforms', platformChoices, 'all', true),
        platformlist: indexes.elements('platformlist').map((platform) => ({
          architecture: platform.requiredString('architecture'),
          os: platform.requiredString('os'),
        })),
      },
    },
  };
}

function readPatterns(urls: Fields, key: string): RegExp[] {
  return urls.strings(key).map((pattern, index) => {
    const compiled = compileGoPattern(pattern);
    if (compiled === undefined) {
      throw new ConfigError({
        key: itemPath(urls.at(key), index),
        value: pattern,
        expected: 'a regular expression (RE2 syntax), such as ^https?://([^/]+\\.)*example\\.com/',
      });
    }
    return compiled;
  });
}

/**
 * Compiles a Go (RE2) pattern as a JavaScript one. The two agree on what URL
 * patterns use; Go's leading flags `(?i)` and named groups `(?P<name>…)` are
 * translated, anything else JavaScript cannot compile is refused.
 */
export function compileGoPattern(pattern: string): RegExp | undefined {
  const leadingFlags = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  const flags = leadingFlags?.[1] ?? '';
  if (!/^[ims]*$/.test(flags)) return undefined;
  const source = pattern.slice(leadingFlags?.[0].length ?? 0).replaceAll('(?P<', '(?<');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}
