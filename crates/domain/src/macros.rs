//! Crate-internal macros that keep the many small enumerations uniform.

/// Declares a fieldless enum whose variants have a stable snake_case name.
///
/// Generates `ALL`, `as_str`, `Display` and `FromStr` (error
/// [`DomainError::UnknownVariant`](crate::DomainError::UnknownVariant) with the
/// given pt-BR `kind`). Serde names come from `#[serde(rename_all =
/// "snake_case")]`, which the caller writes next to its derives; a test in
/// each module checks that serde and `as_str` agree.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case name used in JSON, SQL and URLs.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::DomainError;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::DomainError::UnknownVariant {
                        kind: $kind,
                        value: s.to_owned(),
                    }),
                }
            }
        }
    };
}

pub(crate) use named_enum;

/// Test helper: every variant round-trips through `as_str`/`FromStr` and
/// serializes with serde to the same name; an unknown name is refused.
#[cfg(test)]
macro_rules! assert_names {
    ($name:ident, [$($text:literal),+ $(,)?]) => {{
        let expected: &[&str] = &[$($text),+];
        let actual: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(actual, expected, "names of {}", stringify!($name));
        for v in $name::ALL {
            assert_eq!(v.as_str().parse::<$name>(), Ok(*v));
            assert_eq!(v.to_string(), v.as_str());
            let json = serde_json::to_string(v).expect("serializes");
            assert_eq!(json, format!("\"{}\"", v.as_str()), "serde name of {v:?}");
            let back: $name = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back, *v);
        }
        assert!(matches!(
            "nao_existe".parse::<$name>(),
            Err($crate::DomainError::UnknownVariant { .. })
        ));
    }};
}

#[cfg(test)]
pub(crate) use assert_names;
