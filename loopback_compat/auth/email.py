"""The built-in Email model (base Model: to, from, subject, text, html).

# LoopBack: loopback/common/models/email.js, email.json

``Email.send(options, [cb])`` and ``email.send([cb])`` send through the mail
connector (connectors/mail.py) once the model is attached to a mail data
source (model-config ``"Email": {"dataSource": "mail"}``); before that they
raise LB3's 'You must connect the Email Model to a Mail connector'.
"""

from ..errors import LoopBackError
from ._install import enable_remoting


def _not_connected(*_args, **_kwargs):
    raise LoopBackError('You must connect the Email Model to a Mail connector')


class _Send:
    """The mail data source's ``send`` when attached to one, else LB3's error.

    (juggler mixes the connector's ``send`` in on attach; here the model's
    setup may run after the attach, so the choice is made when ``send`` is read.)"""

    def __get__(self, inst, owner):
        connector = getattr(getattr(owner, 'dataSource', None), 'connector', None)
        members = getattr(getattr(connector, 'DataAccessObject', None), 'members', None)
        if members and 'send' in members:
            return members['send'].__get__(inst, owner)
        return _not_connected


def setup(Email):
    type.__setattr__(Email, 'send', _Send())
    enable_remoting(Email)
