import type { mongo } from 'mongoose';
import { VocabProgress, type VocabProgressRepository } from '../../src/core/vocab.ts';
import { guard } from './connection.ts';
import { type CollectionSource, MongoDocuments } from './documents.ts';

export const VOCAB_COLLECTION = 'vocab_progress';

/** Her vocabulary practice, `_id` = her participant id; every read parsed by zod. */
export class MongoVocabProgressRepository extends MongoDocuments<VocabProgress> implements VocabProgressRepository {
  constructor(source: CollectionSource | mongo.Db) {
    super(source, VOCAB_COLLECTION, VocabProgress);
  }

  withDaily(): Promise<VocabProgress[]> {
    return guard(async () => this.parseAll(await this.collection.find({ daily: true }).toArray()));
  }
}
