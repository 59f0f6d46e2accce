"""Staff sign-in (login), password reset (password_reset) and the second factor
(two_factor)."""
