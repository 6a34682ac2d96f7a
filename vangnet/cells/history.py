"""Readable labels for the cell's history timeline (built from the audit log)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Only the actions listed here appear in the timeline (an allow-list): reads, exports and
# actions of later apps stay out unless someone adds them on purpose.
HISTORY_LABELS = {
    "cells.cell.created": _("Cell created"),
    "cells.framework.updated": _("Framework changed"),
    "cells.framework.approved": _("Framework approved by the mayor"),
    "cells.phenomenon.enabled": _("Phenomenon switched on"),
    "cells.phenomenon.disabled": _("Phenomenon switched off"),
    "cells.profile.updated": _("Cell profile changed"),
    "cells.map.shared": _("Partner map shared with VVSG"),
    "cells.map.unshared": _("Partner map no longer shared with VVSG"),
    "cells.document.uploaded": _("Document uploaded"),
    "cells.membership.added": _("Member added"),
    "cells.membership.ended": _("Membership ended"),
    "cells.invitation.created": _("Invitation sent"),
    "cells.invitation.revoked": _("Invitation withdrawn"),
    "cells.invitation.accepted": _("Invitation accepted"),
    "cells.secrecy.acknowledged": _("Secrecy duty acknowledged"),
    "network.organisation.created": _("Partner organisation added"),
    "network.organisation.updated": _("Partner organisation changed"),
    "network.contact.added": _("Contact person added"),
    "network.contact.removed": _("Contact person removed"),
    "network.link.added": _("Collaboration link added"),
    "network.link.removed": _("Collaboration link removed"),
    "network.map.viewed_by_vvsg": _("Partner map viewed by VVSG"),
    "network.map.exported_by_vvsg": _("Partner map downloaded by VVSG"),
}
