using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// Reads the client assertion a platform writes to a file (AKS workload identity's projected service account token,
/// a CI job's OIDC token): the file's text, surrounding white space removed. It is read again for every token request,
/// since platforms rotate it well before it expires. No error ever quotes the content: it is a bearer credential.
/// </summary>
public static class ClientAssertionFile
{
    /// <summary>Files larger than this are not an assertion (a JWT is a few kilobytes).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>
    /// The assertion in <paramref name="path"/> for OAuth definition <paramref name="definitionName"/> (null while it
    /// is being made). A missing file is <c>OAuthClientAssertionFileNotFound</c>, one that cannot be read (access, a
    /// directory, too large) <c>OAuthClientAssertionFileUnreadable</c>, an empty one
    /// <c>OAuthClientAssertionFileEmpty</c>.
    /// </summary>
    public static SecretValue Read(string path, string? definitionName)
    {
        string owner = definitionName is null ? string.Empty : $" of OAuth definition '{definitionName}'";
        string text;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new FhirSecurityException(
                    ErrorIds.OAuthClientAssertionFileNotFound,
                    FailureCategory.ObjectNotFound,
                    $"The client assertion file '{path}'{owner} does not exist. The platform writes it (AKS: the"
                    + " projected token, AZURE_FEDERATED_TOKEN_FILE; CI: the job's OIDC token step); check that it"
                    + " runs here, or point the definition at the file with Set-FhirOAuth -ClientAssertionPath.",
                    definitionName ?? path);
            }

            if (file.Length > MaxLength)
            {
                throw Unreadable(path, owner, $"{file.Length} bytes, more than an assertion", definitionName, null);
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, owner, ex.GetType().Name, definitionName, ex);
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthClientAssertionFileEmpty,
                FailureCategory.InvalidData,
                $"The client assertion file '{path}'{owner} is empty. The platform writes the assertion into it; wait"
                + " for it to be written, or check the path.",
                definitionName ?? path);
        }

        return new SecretValue(text);
    }

    private static FhirSecurityException Unreadable(
        string path, string owner, string why, string? definitionName, Exception? inner)
        => new(
            ErrorIds.OAuthClientAssertionFileUnreadable,
            FailureCategory.ReadError,
            $"The client assertion file '{path}'{owner} could not be read ({why}). Give this account read access to"
            + " the file, or check that the path names the assertion file.",
            definitionName ?? path,
            inner);
}
