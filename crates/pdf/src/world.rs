//! Atende's own typst [`World`]: one template from the crate, one JSON data
//! file, the bundled fonts. No package is fetched and nothing but the emoji
//! font (once) is read from disk; the library, the fonts and the parsed
//! templates are built once per process and shared by every render.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::PdfError;

/// Where Linux distributions install Noto Color Emoji (Debian/Ubuntu, Arch,
/// Fedora). The first one that exists is read once; without it an emoji
/// prints as the bundled font's missing-glyph box and nothing else changes.
const EMOJI_FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-color-emoji/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
];

/// The bundled sans font: Inter (SIL OFL 1.1, see fonts/LICENSE-OFL.txt).
const BUNDLED_FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/Inter-Regular.otf"),
    include_bytes!("../fonts/Inter-SemiBold.otf"),
    include_bytes!("../fonts/Inter-Italic.otf"),
];

/// The path the templates read their data from: `json("/data.json")`.
const DATA_PATH: &str = "/data.json";

/// The fonts and their book, loaded once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The families the templates should ask for, in fallback order.
    families: Vec<&'static str>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let mut fonts: Vec<Font> = BUNDLED_FONTS
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let mut families = vec!["Inter"];
    let emoji = EMOJI_FONT_PATHS
        .iter()
        .find_map(|path| std::fs::read(path).ok())
        .map(|data| Font::iter(Bytes::new(data)).collect::<Vec<_>>())
        .unwrap_or_default();
    if !emoji.is_empty() {
        fonts.extend(emoji);
        families.push("Noto Color Emoji");
    }
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        families,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

static DATA_ID: LazyLock<FileId> = LazyLock::new(|| project_file(DATA_PATH));

/// The font families to ask for, in fallback order: the bundled sans, then
/// the emoji font when one was found.
pub(crate) fn font_families() -> &'static [&'static str] {
    &FONTS.families
}

/// A typst template compiled into the crate, known to typst as `/{name}`.
/// Meant for a `LazyLock` so it is parsed once.
pub(crate) fn template(name: &str, text: &'static str) -> Source {
    Source::new(project_file(&format!("/{name}")), text.to_owned())
}

/// Lays out `main` with `data` as its `/data.json` and `files` readable
/// at their paths.
pub(crate) fn compile(
    main: &Source,
    data: Vec<u8>,
    files: Vec<(FileId, Bytes)>,
) -> Result<Compiled, PdfError> {
    let world = RenderWorld {
        main: main.clone(),
        data: Bytes::new(data),
        files,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned.output.map_err(|e| PdfError::Layout(messages(&e)))?;
    Ok(Compiled {
        document,
        warnings: messages(&warned.warnings),
    })
}

/// A laid-out typst document.
pub(crate) struct Compiled {
    pub(crate) document: PagedDocument,
    pub(crate) warnings: Vec<String>,
}

/// Exports `document` as an untagged PDF (tagging a long export costs time
/// and size).
pub(crate) fn export(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    let options = PdfOptions {
        creator: Smart::Custom(Some("Atende".into())),
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|e| PdfError::Export(messages(&e)))
}

/// The id under which a file of [`compile`]'s `files` is read, e.g.
/// `image("/part-0.pdf")` for `/part-0.pdf`.
pub(crate) fn project_file(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("the crate's virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn messages(diags: &EcoVec<SourceDiagnostic>) -> Vec<String> {
    diags.iter().map(|d| d.message.to_string()).collect()
}

/// The world of one document: its template, its data and other files.
struct RenderWorld {
    main: Source,
    data: Bytes,
    files: Vec<(FileId, Bytes)>,
}

impl World for RenderWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA_ID {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            let file = self.files.iter().find(|(file, _)| *file == id);
            file.map(|(_, bytes)| bytes.clone())
                .ok_or_else(|| not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// The templates get every date from the data; `datetime.today()` is
    /// deliberately unavailable so output depends on the data alone.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
