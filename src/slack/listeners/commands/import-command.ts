import { buildImportUploadModal } from '../../ui/modals/import-modal.js';
import { openModal } from '../modals.js';
import type { Subcommand } from './subcommand.js';

const UPLOAD_FORM = buildImportUploadModal();

/** `/infoview import`: the form to import contacts from a file (opened before any other Web API call). */
export const openImport: Subcommand = async (args) => {
  await args.ack();
  await openModal(args, UPLOAD_FORM);
};
