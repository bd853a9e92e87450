using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>
/// The secret, key and assertion file parameters New-FhirOAuth and Set-FhirOAuth share, as the engine's OAuth edit:
/// the private key read from a PEM file or PEM text, the assertion file resolved and read once to check it.
/// </summary>
internal static class OAuthKeySource
{
    /// <summary>
    /// The edit the shared parameters give, the key read and parsed; <paramref name="removeJwksUrl"/> is
    /// Set-FhirOAuth -JwksUrl $null.
    /// </summary>
    public static OAuthEdit Edit(OAuthWriteCommand cmdlet, string name, bool removeJwksUrl = false)
        => new()
        {
            ClientSecret = SecureStrings.ToSecret(cmdlet.ClientSecret),
            Key = Read(cmdlet, cmdlet.PrivateKeyPath, cmdlet.PrivateKey, name),
            Algorithm = cmdlet.Algorithm is { } algorithm ? Views.ToEngine(algorithm) : null,
            KeyId = cmdlet.KeyId,
            JwksUrl = cmdlet.JwksUrl,
            RemoveJwksUrl = removeJwksUrl,
            ClientAssertionPath = cmdlet.ClientAssertionPath is { } path ? AssertionFile(cmdlet, path, name) : null,
        };

    /// <summary>
    /// The full path of the assertion file <paramref name="path"/> (resolved like any PowerShell path), read once so a
    /// missing, unreadable or empty file is refused before the vault is touched. The content is not kept.
    /// </summary>
    public static string AssertionFile(PSCmdlet cmdlet, string path, string definitionName)
    {
        string file = UserFiles.Resolve(
            cmdlet,
            path,
            ErrorIds.OAuthClientAssertionFileNotFound,
            $"The client assertion file '{path}' was not found. Give the path of the file the platform writes the"
            + " assertion to (one file, no wildcards); it must exist when the definition is made.");
        ClientAssertionFile.Read(file, definitionName);
        return file;
    }

    /// <summary>
    /// The key from <paramref name="path"/> (resolved like any PowerShell path, relative to the current location) or
    /// from <paramref name="pem"/>, parsed and re-encoded as PKCS#8; null when neither is given. Both at once is
    /// <c>OAuthClientCredentialConflict</c>.
    /// </summary>
    private static ClientKey? Read(PSCmdlet cmdlet, string? path, SecureString? pem, string definitionName)
    {
        if (path is not null && pem is not null)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthClientCredentialConflict,
                FailureCategory.InvalidArgument,
                "Give the private key once: -PrivateKeyPath (a PEM file) or -PrivateKey (PEM text), not both.",
                definitionName);
        }

        if (pem is not null)
        {
            return ClientKey.Parse(SecureStrings.ToSecret(pem)!, "the -PrivateKey text", definitionName);
        }

        if (path is null)
        {
            return null;
        }

        string file = UserFiles.Resolve(
            cmdlet,
            path,
            ErrorIds.OAuthPrivateKeyFileNotFound,
            $"The private key file '{path}' was not found. Give the path of a PEM file (one file, no wildcards).");
        return ClientKey.Parse(new SecretValue(File.ReadAllText(file)), $"'{file}'", definitionName);
    }
}
