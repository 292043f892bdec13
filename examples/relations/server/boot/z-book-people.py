"""Boot script: the port of server/boot/z-book-people.js.

Book embedsMany Link (``people``), each Link belongsTo a polymorphic
``linked`` (an Author or a Reader): ``book.people.build(...)`` then
``link.linked(instance)`` sets linkedId, linkedType and, through
``properties: {name: 'name'}``, the link's name.  ``async.series`` becomes
three functions called in turn.
"""


def boot(app, cb):
    Book = app.models.Book
    Author = app.models.Author
    Reader = app.models.Reader

    state = {}

    def create_author(done):
        def created(err, people):
            state['author'] = people
            done(err, people)
        Author.create({'name': 'Author 1'}, created)

    def create_reader(done):
        def created(err, people):
            state['reader'] = people
            done(err, people)
        Reader.create({'name': 'Reader 1'}, created)

    def create_book(done):
        def created(err, book):
            link1 = book.people.build({'notes': 'Note 1'})
            link1.linked(state['author'])
            link2 = book.people.build({'notes': 'Note 2'})
            link2.linked(state['reader'])
            print('Book:', book)
            book.save(done)
        Book.create({'name': 'Book 1'}, created)

    def finished(err=None):
        print('done')
        cb(err)

    series([create_author, create_reader, create_book], finished)


def series(tasks, callback):
    """``async.series(tasks, callback)``: run each ``task(done)`` after the
    previous one, stop at the first error."""
    pending = list(tasks)

    def next_task(err=None, *_results):
        if err or not pending:
            return callback(err)
        pending.pop(0)(next_task)
    next_task()
