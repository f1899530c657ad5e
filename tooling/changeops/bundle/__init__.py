"""The sealed execution bundle: exactly the approved plan, and nothing else Ansible could load.

``resolve_plan`` reads a change's plan from a ``TreeSource`` (a commit through ``GitTree``, or a
folder through ``WorkTree``) into a ``Manifest`` whose digest approvals sign; ``build_bundle``
copies exactly those files out of the work tree with a generated inventory and an
``ansible.cfg`` that pins every plugin and collection path.
"""

from changeops.bundle.build import Bundle, BundleError, build_bundle
from changeops.bundle.manifest import VERSION, Manifest, ManifestEntry
from changeops.bundle.resolve import PlanResolution, resolve_plan
from changeops.bundle.source import GitTree, TreeSource, WorkTree

__all__ = ["VERSION", "Bundle", "BundleError", "GitTree", "Manifest", "ManifestEntry", "PlanResolution",
           "TreeSource", "WorkTree", "build_bundle", "resolve_plan"]
