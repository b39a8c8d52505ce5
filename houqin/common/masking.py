"""Masking personal data for lists and exports (PIPL 第五十一条)."""


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile number; short or odd values keep only their last two."""
    digits = (phone or "").strip()
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 2:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits
