# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Calendar arithmetic used by the emulator (dates are YYYY-MM-DD everywhere).

import calendar
import datetime


def parse_date(text):
    """Parse an ISO date (YYYY-MM-DD); raise ValueError otherwise."""
    if isinstance(text, datetime.date):
        return text
    return datetime.datetime.strptime(str(text), "%Y-%m-%d").date()


def format_date(day):
    return day.isoformat() if day else ""


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def add_months(day, months):
    """Add (or subtract) months keeping the day, clamped to the end of the target month.

    +12 months is +1 year, so Feb 29 becomes Feb 28 in a non-leap year.
    """
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def add_days(day, days):
    return day + datetime.timedelta(days=days)
