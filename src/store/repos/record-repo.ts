/** Moved to src/store/records (the record store interface and its engines); kept for existing imports. */
export {
  RECORD_COLUMNS,
  type LogstoreRef,
  type RecordFilter,
  type RecordRow,
} from '../records/record-store.js';
