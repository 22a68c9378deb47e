"""Can this host run virtual machines, and how fast? (``kvmdesk check``)

The work is cut in two. ``gather`` does every blocking thing: it reads
/proc and /sys, asks /dev/kvm for its API version and asks libvirt for its
capabilities. ``evaluate`` is pure: it takes those facts and returns the
checks and an overall verdict, so every combination of facts can be tested
with samples.

The facts are judged together, not one by one. A CPU that shows neither
vmx nor svm while /dev/kvm answers and libvirt offers domain type 'kvm' is
not "no virtualization": it is a nested or virtualized host whose layer
below hides the flags, and KVM guests there may hang at boot while the same
guest runs under emulation.

For a remote URI nothing is read from this machine: the checks come from
libvirt's capabilities (host CPU features, guest domain types, IOMMU) and
from whether the domain capabilities for type 'kvm' answer.

Every sentence is a ``Text``: a stable id, the English template and its
arguments, so that the layers above can translate them.

The modules, in the order the work flows:

``facts``
    the records of what was found (``HostFacts`` and its parts)
``parsing``
    reading /proc/cpuinfo, /proc/modules and libvirt's XML (pure)
``gathering``
    filling the facts from this machine and from libvirt (blocking)
``view``
    the facts digested once for every check, and the ``Accel`` judgement
``checks_libvirt``, ``checks_kvm``, ``checks_acceleration``, ``checks_features``
    one function a check
``advice``
    what to do, for the checks that did not pass
``evaluation``
    ``evaluate``: all the checks, the verdict and the summary
``report``, ``texts``
    what comes out: ``Check``, ``Report`` and the ``Text`` sentences
"""

from kvmdesk.virt.hostcheck.evaluation import evaluate
from kvmdesk.virt.hostcheck.facts import (
    HW_FLAG_NAMES,
    KVM_API_VERSION,
    PVM_MODULE,
    VENDOR_MODULES,
    HostFacts,
    KvmDevice,
    LibvirtFacts,
    LocalFacts,
)
from kvmdesk.virt.hostcheck.gathering import (
    DEFAULT_URI,
    KVM_GET_API_VERSION,
    gather,
    gather_libvirt,
    gather_local,
    open_connection,
    probe_kvm_device,
)
from kvmdesk.virt.hostcheck.parsing import (
    Capabilities,
    cpu_flags,
    host_model_features,
    is_remote,
    loaded_modules,
    nested_enabled,
    parse_capabilities,
)
from kvmdesk.virt.hostcheck.report import Check, Report, Source, Status, Verdict
from kvmdesk.virt.hostcheck.texts import TITLES, Text
from kvmdesk.virt.hostcheck.view import Accel

__all__ = [
    "DEFAULT_URI",
    "HW_FLAG_NAMES",
    "KVM_API_VERSION",
    "KVM_GET_API_VERSION",
    "PVM_MODULE",
    "TITLES",
    "VENDOR_MODULES",
    "Accel",
    "Capabilities",
    "Check",
    "HostFacts",
    "KvmDevice",
    "LibvirtFacts",
    "LocalFacts",
    "Report",
    "Source",
    "Status",
    "Text",
    "Verdict",
    "cpu_flags",
    "evaluate",
    "gather",
    "gather_libvirt",
    "gather_local",
    "host_model_features",
    "is_remote",
    "loaded_modules",
    "nested_enabled",
    "open_connection",
    "parse_capabilities",
    "probe_kvm_device",
]
