# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The answer's language: lang=en|ru (else the account's, config account_lang), status texts and error messages.
# Errors are raised with an English msg; a Russian answer looks up the msg itself, then (type, object), then type.

from .model import STATUS_NAMES

LANGUAGES = ("en", "ru")
STATUS_TEXTS = {
    "en": STATUS_NAMES,
    "ru": {1: "Заказана", 2: "Активна", 3: "Остановлена", 4: "Удалена", 5: "Обрабатывается"},
}
# config expiry_form real/text: what <expiredate> holds instead of the date (daily billing).
DAILY_CHARGE = {"en": "Daily charge", "ru": "Ежедневное списание"}
# config cost_text per_period: the word after "/" in a cost text, by the license's period ("30.00 EUR / Month").
PERIOD_WORDS = {"en": {1: "Month", 12: "Year"}, "ru": {1: "Месяц", 12: "Год"}}
# Formatted with the error's object, value and extra params (balance, cost).
RU_ERRORS = {
    "Object not found": "Объект не найден",
    "License is deleted": "Лицензия удалена",
    "A trial license cannot be prolonged": "Пробную лицензию нельзя продлить",
    "The service is being processed; try again later": "Услуга обрабатывается; повторите попытку позже",
    "The service was suspended by the provider; contact support": "Услуга остановлена провайдером; обратитесь в поддержку",
    "Access from this IP denied": "Доступ с этого IP-адреса запрещён",
    ("auth", "badpassword"): "Неверное имя пользователя или пароль",
    ("auth", "authinfo"): "Требуется авторизация: передайте authinfo=пользователь:пароль или auth=СЕССИЯ",
    ("auth", "session"): "Сессия истекла или неизвестна; войдите снова",
    ("auth", "ip"): "Авторизация через authinfo с адреса {value} запрещена",
    ("access", "elid"): "Доступ запрещён: лицензия принадлежит другой учётной записи",
    ("value", "comment"): "Комментарий содержит управляющий символ {value}",
    "missed": "Не задан обязательный параметр «{object}»",
    "value": "Неверное значение параметра «{object}»",
    "money": "Недостаточно средств: баланс {balance} EUR, стоимость {cost} EUR",
    "exists": "Пробный период этого продукта уже использован этой учётной записью",
    "unknown": "Неизвестная функция «{object}»",
    "access": "Доступ запрещён",
}


def answer_lang(params, config):
    """The language of the answer: the request's lang when it is one we speak, else the account's."""
    lang = params.get("lang")
    return lang if lang in LANGUAGES else config.get("account_lang", "en")


def status_text(status, lang):
    return STATUS_TEXTS[lang][status]


def error_text(error, lang):
    if lang == "en":
        return error.msg
    template = RU_ERRORS.get(error.msg) or RU_ERRORS.get((error.type, error.object)) or RU_ERRORS.get(error.type)
    if template is None:
        return error.msg
    return template.format(object=error.object, value=error.value, **dict(error.extra))
