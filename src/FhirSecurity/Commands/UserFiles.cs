using System.Management.Automation;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Commands;

/// <summary>Files users name in parameters (-Path, -PrivateKeyPath, -ClientCertificatePath, ...).</summary>
internal static class UserFiles
{
    /// <summary>
    /// The full path of <paramref name="path"/>, resolved like any PowerShell path (relative to the current location,
    /// PSDrives included) to exactly one existing file-system file. Anything else is <paramref name="errorId"/>
    /// (ObjectNotFound) with <paramref name="notFound"/> as the message.
    /// </summary>
    public static string Resolve(PSCmdlet cmdlet, string path, string errorId, string notFound)
    {
        try
        {
            string file = cmdlet.SessionState.Path
                .GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider)
                .Single();
            if (provider.Name != "FileSystem" || !File.Exists(file))
            {
                throw new ItemNotFoundException(path);
            }

            return file;
        }
        catch (Exception ex) when (ex is ItemNotFoundException
                                       or System.Management.Automation.DriveNotFoundException
                                       or ProviderNotFoundException
                                       or InvalidOperationException)
        {
            throw new FhirSecurityException(errorId, FailureCategory.ObjectNotFound, notFound, path, ex);
        }
    }
}
