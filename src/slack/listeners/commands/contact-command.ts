import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { openModal } from '../modals.js';
import type { Subcommand } from './subcommand.js';

/** `/infoview contact [name]`: the contact form, with the name filled in when given. */
export const openContactModal: Subcommand = async (args, deps, name) => {
  await args.ack();
  await openModal(args, buildContactModal({ name: name || null, now: deps.clock.now() }));
};
