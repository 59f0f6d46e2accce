"""System checks on the project's own settings (registered by accounts.apps)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from config.keys import decode_key, parse_key_ring


@checks.register(checks.Tags.security, deploy=False)
def check_keys_are_distinct(app_configs, **kwargs):
    """Record keys, the SSN index key, the audit log key and SECRET_KEY must be valid and
    all different.

    One leaked key must never open a second door: an SSN index key equal to a record key
    would let whoever can compute the index also decrypt records, and so on.
    """
    try:
        ring = parse_key_ring(settings.RECORD_KEYS)
        ssn_index_key = decode_key(settings.SSN_INDEX_KEY, name="SSN_INDEX_KEY")
        audit_log_key = decode_key(settings.AUDIT_LOG_KEY, name="AUDIT_LOG_KEY")
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="kartotek.E001")]
    keys = [*ring.values(), ssn_index_key, audit_log_key]
    # SECRET_KEY is text: compare it with the keys' bytes and with their base64 spelling.
    key_texts = {part.partition(":")[2].strip() for part in settings.RECORD_KEYS.split(",")}
    key_texts |= {settings.SSN_INDEX_KEY.strip(), settings.AUDIT_LOG_KEY.strip()}
    secret_key = settings.SECRET_KEY
    reused_secret = secret_key in key_texts or secret_key.encode() in keys
    if len(set(keys)) != len(keys) or reused_secret:
        return [
            checks.Error(
                "RECORD_KEYS, SSN_INDEX_KEY, AUDIT_LOG_KEY and SECRET_KEY must all be "
                "different keys.",
                hint="Generate separate random keys for each.",
                id="kartotek.E002",
            )
        ]
    return []
