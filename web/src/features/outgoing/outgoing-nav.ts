import IconFilePencil from '@tabler/icons-react/dist/esm/icons/IconFilePencil.mjs';
import IconChecklist from '@tabler/icons-react/dist/esm/icons/IconChecklist.mjs';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import IconRubberStamp from '@tabler/icons-react/dist/esm/icons/IconRubberStamp.mjs';
import IconSend from '@tabler/icons-react/dist/esm/icons/IconSend.mjs';
import IconBook from '@tabler/icons-react/dist/esm/icons/IconBook.mjs';
import IconUserShare from '@tabler/icons-react/dist/esm/icons/IconUserShare.mjs';
import IconRoute from '@tabler/icons-react/dist/esm/icons/IconRoute.mjs';
import IconCloudUpload from '@tabler/icons-react/dist/esm/icons/IconCloudUpload.mjs';
import type { NavSection } from '../../shell/nav.ts';
import { BOXES, CHAIN_ROLES, DELEGATION_ROLES, EXCHANGE_ROLES, REGISTER_ROLES } from './outgoing-routes.ts';

/** The outgoing-document section of the navigation: the work lists each role has, and the register. */
export const outgoingNav: NavSection = {
  label: 'nav.section.outgoing',
  items: [
    { to: BOXES.drafts.path, label: BOXES.drafts.label, icon: IconFilePencil, roles: BOXES.drafts.roles },
    { to: BOXES.review.path, label: BOXES.review.label, icon: IconChecklist, roles: BOXES.review.roles },
    { to: BOXES.signature.path, label: BOXES.signature.label, icon: IconSignature, roles: BOXES.signature.roles },
    { to: BOXES.to_issue.path, label: BOXES.to_issue.label, icon: IconRubberStamp, roles: BOXES.to_issue.roles },
    { to: BOXES.issued.path, label: BOXES.issued.label, icon: IconSend, roles: BOXES.issued.roles },
    { to: '/outgoing/register', label: 'nav.outgoing.register', icon: IconBook, roles: REGISTER_ROLES.filter((r) => r === 'clerk' || r === 'archivist') },
    { to: '/outgoing/sending', label: 'nav.outgoing.sending', icon: IconCloudUpload, roles: EXCHANGE_ROLES },
    { to: '/outgoing/delegations', label: 'nav.outgoing.delegations', icon: IconUserShare, roles: DELEGATION_ROLES },
    { to: '/outgoing/chain', label: 'nav.outgoing.chain', icon: IconRoute, roles: CHAIN_ROLES },
  ],
};
