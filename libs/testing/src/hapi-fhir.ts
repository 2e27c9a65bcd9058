import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@jigsaw/config';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'hapi');

export interface FhirValidator {
  /** HAPI FHIR's findings on each resource, `<n>: <severity> <location> <message>`; none when all are valid. */
  validate(resources: readonly unknown[]): string[];
}

/**
 * HAPI FHIR (from Maven Central, into .data/hapi-fhir on first use) validating FHIR R4 JSON: a strict parse
 * against the R4 model, then the official R4 XML Schema. Where the machine has no Java or Maven (Kafka's
 * needs, so CI has both) the caller skips and says why.
 */
export function hapiFhirValidator(): FhirValidator | undefined {
  for (const [tool, arg] of [
    ['java', '-version'],
    ['mvn', '-v'],
  ] as const) {
    if (spawnSync(tool, [arg], { encoding: 'utf8' }).status !== 0) {
      console.warn(`SKIPPING HAPI FHIR validation: no ${tool} on this machine`);
      return undefined;
    }
  }
  const home = join(repoRoot(), '.data/hapi-fhir');
  const lib = join(home, 'lib');
  if (!existsSync(join(lib, 'hapi-fhir-structures-r4-8.12.1.jar'))) {
    mkdirSync(home, { recursive: true });
    const fetched = spawnSync(
      'mvn',
      ['-q', '-B', '-f', join(HERE, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (fetched.status !== 0)
      throw new Error(`could not fetch HAPI FHIR: ${fetched.stdout}${fetched.stderr}`);
  }
  return {
    validate(resources) {
      const dir = mkdtempSync(join(tmpdir(), 'jigsaw-fhir-'));
      try {
        const files = resources.map((resource, i) => {
          const file = join(dir, `${i}.json`);
          writeFileSync(file, JSON.stringify(resource));
          return file;
        });
        const run = spawnSync('java', ['-cp', `${lib}/*`, join(HERE, 'ValidateFhir.java'), ...files], {
          encoding: 'utf8',
          timeout: 300_000,
        });
        if (run.status !== 0) throw new Error(`HAPI FHIR validation did not run: ${run.stderr}`);
        return run.stdout
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => line.replace(`${dir}/`, '').replace(/^(\d+)\.json:/, '$1:'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
