from privacy.models.erasure import ErasureRequest
from privacy.models.export import SubjectExport

__all__ = ["ErasureRequest", "SubjectExport"]
