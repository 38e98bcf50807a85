namespace CxrPacsAgent.Dicom.Reports;

/// <summary>Why a content tree could not be read; one value per way an SR can be malformed, so callers can count them.</summary>
public enum SrContentError
{
    /// <summary>The document's root is not a CONTAINER (or has no Value Type at all: not an SR).</summary>
    RootNotContainer,
    /// <summary>A content item has no Value Type (0040,A040).</summary>
    MissingValueType,
    /// <summary>A content item has no Concept Name Code Sequence where its value type requires one, or an incomplete one.</summary>
    MissingConceptName,
    /// <summary>A content item has no Relationship Type (0040,A010), or one not in PS3.3 C.17.3.2.4.</summary>
    BadRelationship,
    /// <summary>A content item lacks the attribute that holds its value (e.g. TEXT without Text Value).</summary>
    MissingValue,
    /// <summary>A value is present but unreadable (e.g. a Numeric Value that is not a decimal string).</summary>
    InvalidValue,
    /// <summary>The tree nests deeper than the reader's limit.</summary>
    TooDeep,
}
