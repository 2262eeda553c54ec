"""Prepared INSERTs: a model's INSERT compiled by Django once, its rows prepared as Django's compiler prepares them,
run as plain statements (the fast path of `dateline import` writes new stories so)."""

from django.db import connections, router
from django.db.models.sql import InsertQuery


class PreparedInsert:
    """One model's INSERT, compiled by Django once; `values(obj)` prepares a row as Django's compiler does."""

    def __init__(self, model, returning=True):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        query = InsertQuery(model)
        query.insert_values(self.fields, [model()])
        self.compiler = query.get_compiler(using=router.db_for_write(model))
        self.compiler.returning_fields = [model._meta.pk] if returning else None
        [(self.sql, _)] = self.compiler.as_sql()

    def values(self, obj):
        return [self.compiler.prepare_value(field, self.compiler.pre_save_val(field, obj)) for field in self.fields]

    def set(self, values, name, value):
        """Put `value` in a prepared row, as the field `name` prepares it."""
        field = self.model._meta.get_field(name)
        values[self.fields.index(field)] = self.compiler.prepare_value(field, value)

    def insert(self, values):
        """Insert one prepared row; its primary key."""
        with connections[router.db_for_write(self.model)].cursor() as cursor:
            cursor.execute(self.sql, values)
            return cursor.fetchone()[0] if cursor.description else cursor.lastrowid  # RETURNING, where supported

    def insert_ids(self, rows):
        """Insert rows of ids only (a many-to-many table's), each given as {column: id}."""
        with connections[router.db_for_write(self.model)].cursor() as cursor:
            cursor.executemany(self.sql, [[row[field.attname] for field in self.fields] for row in rows])
