namespace FhirSecurity.Core.Bulk;

/// <summary>A file of an export, complete on disk.</summary>
/// <param name="File">The manifest's entry.</param>
/// <param name="Path">The full path of the file.</param>
/// <param name="Lines">Its line count (one resource a line).</param>
/// <param name="Bytes">Its size on disk (decompressed).</param>
/// <param name="Attempts">How many times it was requested.</param>
public sealed record BulkFileResult(BulkManifestFile File, string Path, long Lines, long Bytes, int Attempts);
