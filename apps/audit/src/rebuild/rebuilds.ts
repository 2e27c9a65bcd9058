import type { Pool } from '@jigsaw/database';
import type { EventStore } from '@jigsaw/event-store';
import { READ_MODEL_OWNERS, type ReadModel } from '@jigsaw/view-model';
import type { RebuildPoolSource } from './rebuild-pools.js';
import {
  chosenModels,
  invalid,
  ReadModelRebuilds,
  type CompareReport,
  type RebuildOptions,
  type RebuildRecord,
  type RebuildReport,
  type SwapReport,
} from './read-model-rebuilds.js';

/** One owner's part of a rebuild: its rebuilds and the models of it chosen. */
export interface OwnerPlan {
  rebuilds: ReadModelRebuilds;
  models: string[];
}

/**
 * Every owner's rebuilds, by read model and by schema: a rebuild of models that two owners keep is two
 * rebuilds, each into a schema named after its owner's live one, each as its owner; a schema names the
 * owner it was rebuilt for in the record of rebuilds.
 */
export class Rebuilds {
  constructor(
    readonly owners: readonly ReadModelRebuilds[],
    /** The audit service's own pool, which keeps the record of rebuilds. */
    private readonly ledger: Pool,
  ) {
    if (owners.length === 0) throw new Error('no read model owners to rebuild');
  }

  /**
   * The rebuilds of every owner in READ_MODEL_OWNERS, each on a pool acting as that owner's role, reading
   * `store`, with the record of rebuilds kept through `ledger` (the audit service's own pool).
   */
  static forOwners(pools: RebuildPoolSource, store: EventStore, ledger: Pool): Rebuilds {
    return new Rebuilds(
      READ_MODEL_OWNERS.map(
        (owner) => new ReadModelRebuilds(pools.poolFor(owner.role), store, owner, undefined, ledger),
      ),
      ledger,
    );
  }

  /** Every read model, with the live schema it is kept in. */
  get readModels(): { model: ReadModel; liveSchema: string }[] {
    return this.owners.flatMap((o) => o.readModels.map((model) => ({ model, liveSchema: o.liveSchema })));
  }

  /**
   * The owners the models named belong to, each with its models; every model when none are named. A schema
   * to build `into` is one owner's: the models must then all be that owner's.
   */
  plan(names: readonly string[] = [], into?: string): OwnerPlan[] {
    const known = this.readModels.map(({ model }) => model);
    const chosen = new Set((names.length > 0 ? chosenModels(names, known) : known).map((m) => m.name));
    const plans = this.owners
      .map((rebuilds) => ({
        rebuilds,
        models: rebuilds.readModels.map((m) => m.name).filter((name) => chosen.has(name)),
      }))
      .filter((plan) => plan.models.length > 0);
    if (into !== undefined && plans.length > 1) {
      throw invalid(
        'into',
        `names one schema, but the models chosen are kept in ${plans.map((p) => p.rebuilds.liveSchema).join(' and ')}: name the models of one`,
      );
    }
    return plans;
  }

  /** Rebuilds the models named (every one when none are), one schema per owner. */
  async rebuild(options: RebuildOptions = {}): Promise<RebuildReport[]> {
    const plans = this.plan(options.models, options.into);
    const reports: RebuildReport[] = [];
    for (const { rebuilds, models } of plans) reports.push(await rebuilds.rebuild({ ...options, models }));
    return reports;
  }

  compare(schema: string, options: { models?: readonly string[] } = {}): Promise<CompareReport> {
    return this.ownerOf(schema).then((owner) => owner.compare(schema, options));
  }

  swap(schema: string, options: { attempts?: number; lockTimeoutMs?: number } = {}): Promise<SwapReport> {
    return this.ownerOf(schema).then((owner) => owner.swap(schema, options));
  }

  drop(schema: string): Promise<{ schema: string; dropped: boolean }> {
    return this.ownerOf(schema).then((owner) => owner.drop(schema));
  }

  /** Every rebuild of every owner: they share one record. */
  list(): ReturnType<ReadModelRebuilds['list']> {
    return this.owners[0]!.list();
  }

  /**
   * The owner a rebuild or retired schema was made for, by the record of rebuilds; for a schema it does not
   * hold, the owner whose live schema it is, or the first, whose refusal then names what is wrong.
   */
  private async ownerOf(schema: string): Promise<ReadModelRebuilds> {
    const { rows } = await this.ledger.query<Pick<RebuildRecord, 'liveSchema'>>(
      `SELECT live_schema AS "liveSchema" FROM audit.rebuilds WHERE schema_name = $1 OR retired_schema = $1
       ORDER BY started_at DESC LIMIT 1`,
      [schema],
    );
    const live = rows[0]?.liveSchema ?? schema;
    return this.owners.find((o) => o.liveSchema === live) ?? this.owners[0]!;
  }
}
