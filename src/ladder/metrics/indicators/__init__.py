"""Indicator families; importing this package registers every indicator.

One module per family: ``wres`` (Workforce Race Equality Standard), ``wdes`` (Workforce
Disability Equality Standard), ``paygap`` (statutory pay gap method, by characteristic),
``seb`` (socio-economic background), ``representation`` (each characteristic by band,
against the workforce and a local benchmark), ``place`` (home-area deprivation and the
anchor-institution indicators), ``programme`` (community employment programmes: funnels,
reach, retention; docs/programmes.md), ``fairpay`` (the Real Living Wage, directly employed
and contracted staff).
"""

from ladder.metrics.indicators import (
    fairpay,
    paygap,
    place,
    programme,
    representation,
    seb,
    wdes,
    wres,
)

__all__ = ["fairpay", "paygap", "place", "programme", "representation", "seb", "wdes", "wres"]
