//! Statements assembled at run time (many rows per `INSERT`, `IN` lists, optional filters).
//! Placeholders are written for the backend: `$1, $2 …` for PostgreSQL (sqlx's `QueryBuilder`
//! writes `?` for the `Any` driver, which PostgreSQL refuses), anonymous `?` for SQLite — there
//! `$N` is a *named* parameter, and binding thousands of them is quadratic
//! (`sqlite3_bind_parameter_name` scans the statement's list of names: measured, 42 % of the
//! server's time and 2.5 times slower ingest with `$N` in the multi-row inserts).

use std::fmt::Write;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, Encode, FromRow, Type};

use crate::store::Backend;

pub struct Sql<'q> {
    text: String,
    args: AnyArguments<'q>,
    backend: Backend,
}

impl<'q> Sql<'q> {
    pub fn new(backend: Backend, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: AnyArguments::default(),
            backend,
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        // Adding to `AnyArguments` only stores the value; it cannot fail for these types.
        self.args.add(value).expect("a bindable value");
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                let _ = write!(self.text, "${}", self.args.len());
            }
        }
        self
    }

    /// Appends `VALUES (…), (…)`, one group per item, `row` binding each item's values
    /// (separated by commas).
    pub fn values<I, F>(&mut self, items: I, mut row: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(&mut Row<'_, 'q>, I::Item),
    {
        self.text.push_str("VALUES ");
        for (n, item) in items.into_iter().enumerate() {
            self.text.push_str(if n == 0 { "(" } else { ", (" });
            row(
                &mut Row {
                    sql: self,
                    first: true,
                },
                item,
            );
            self.text.push(')');
        }
        self
    }

    /// Appends `v1, v2, …` (the inside of an `IN` list).
    pub fn list<T, I>(&mut self, items: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        for (n, item) in items.into_iter().enumerate() {
            if n > 0 {
                self.text.push_str(", ");
            }
            self.bind(item);
        }
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        sqlx::query_with(&self.text, std::mem::take(&mut self.args))
    }

    pub fn build_as<T>(&mut self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, AnyRow>,
    {
        sqlx::query_as_with(&self.text, std::mem::take(&mut self.args))
    }

    pub fn build_scalar<T>(&mut self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        sqlx::query_scalar_with(&self.text, std::mem::take(&mut self.args))
    }
}

/// One group of `VALUES`.
pub struct Row<'s, 'q> {
    sql: &'s mut Sql<'q>,
    first: bool,
}

impl<'q> Row<'_, 'q> {
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(value);
        self
    }

    /// Appends SQL text as one of the values (a literal or an expression).
    pub fn push(&mut self, text: &str) -> &mut Self {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.text.push_str(text);
        self
    }
}

/// A 0/1 flag column, read as the integer both backends store
/// (`#[sqlx(try_from = "Flag")] field: bool`, or `Flag` in a tuple).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(<i64 as sqlx::Decode<'r, Any>>::decode(value)? != 0))
    }
}

/// Bytes from a column that may hold text too: record state written as JSON text (by older
/// versions, or adopted by SQL on SQLite) is read like the compact bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Vec<u8> {
        bytes.0
    }
}

impl Type<Any> for Bytes {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <Vec<u8> as Type<Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <Vec<u8> as Type<Any>>::compatible(ty) || <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Bytes {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        if <String as Type<Any>>::compatible(&sqlx::ValueRef::type_info(&value)) {
            return Ok(Bytes(
                <String as sqlx::Decode<'r, Any>>::decode(value)?.into_bytes(),
            ));
        }
        Ok(Bytes(<Vec<u8> as sqlx::Decode<'r, Any>>::decode(value)?))
    }
}
