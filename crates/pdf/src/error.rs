//! The one error type of the PDF crate.

/// Why a PDF could not be produced. Every variant but `Cancelled` is a bug
/// in a template or in this crate, never bad data: any text the caller
/// passes is printed literally. The messages are pt-BR; the details are typst's diagnostics
/// (English) and name no user data.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The data could not be serialised to the JSON the template reads.
    #[error("não foi possível preparar os dados do PDF: {0}")]
    Data(#[from] serde_json::Error),
    /// typst refused the template or could not lay it out.
    #[error("não foi possível montar o PDF: {}", .0.join("; "))]
    Layout(Vec<String>),
    /// The laid-out document could not be written as PDF.
    #[error("não foi possível gravar o PDF: {}", .0.join("; "))]
    Export(Vec<String>),
    /// The caller gave up waiting (see [`crate::history_pdf_until`]).
    #[error("a geração do PDF foi interrompida")]
    Cancelled,
}

/// The result of this crate's renderers.
pub type Result<T, E = PdfError> = std::result::Result<T, E>;
