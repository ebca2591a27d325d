namespace KvmTime.Windows;

/// <summary>
/// The PowerShell snippet that sets or deletes one boolean BCD element of {current}: through the BCD
/// WMI provider, read back to verify; through `bcdedit` only when the provider is missing (never
/// when access is denied, which bcdedit would meet too). Values arrive as typed parameters, never
/// as script text. Prints one JSON line for <see cref="WindowsBcdPlanner.ParseResult"/>.
/// </summary>
internal static class WindowsBcdScript
{
    public const string Script = """
        param([string] $Action, [uint32] $Element, [string] $Name, [bool] $Value)
        $ErrorActionPreference = 'Stop'
        $r = [ordered]@{ Method = 'WMI'; Done = $false; Before = $null; After = $null; Error = $null; ErrorCode = $null; ExitCode = $null }
        function Read-BcdBoolean($object) {
            $answer = Invoke-CimMethod -InputObject $object -MethodName GetElement -Arguments @{ Type = $Element }
            if ($answer.ReturnValue -and $answer.Element) { [bool]$answer.Element.Boolean } else { $null }
        }
        try {
            $store = (Invoke-CimMethod -Namespace root/WMI -ClassName BcdStore -MethodName OpenStore -Arguments @{ File = '' }).Store
            $current = (Invoke-CimMethod -InputObject $store -MethodName OpenObject -Arguments @{ Id = '{fa926493-6f1c-4193-a414-58f0b2456d1e}' }).Object
            $r.Before = Read-BcdBoolean $current
            if ($Action -eq 'Set') {
                $ok = (Invoke-CimMethod -InputObject $current -MethodName SetBooleanElement -Arguments @{ Type = $Element; Boolean = $Value }).ReturnValue
            } elseif ($null -ne $r.Before) {
                $ok = (Invoke-CimMethod -InputObject $current -MethodName DeleteElement -Arguments @{ Type = $Element }).ReturnValue
            } else { $ok = $true }
            if (-not $ok) { throw "The BCD provider refused to $Action $Name." }
            $r.After = Read-BcdBoolean $current
            $r.Done = $true
        }
        catch {
            $r.Error = $_.Exception.Message
            if ($_.Exception.PSObject.Properties['NativeErrorCode']) { $r.ErrorCode = [string]$_.Exception.NativeErrorCode }
            elseif ($_.FullyQualifiedErrorId -like 'CommandNotFoundException*') { $r.ErrorCode = 'CommandNotFound' }
        }
        if (-not $r.Done -and $r.ErrorCode -in 'CommandNotFound', 'InvalidNamespace', 'InvalidClass', 'NotSupported', 'ProviderLoadFailure') {
            $r.Method = 'bcdedit'
            if ($Action -eq 'Set') { $arguments = @('/set', '{current}', $Name, $(if ($Value) { 'yes' } else { 'no' })) }
            else { $arguments = @('/deletevalue', '{current}', $Name) }
            try {
                $null = & bcdedit.exe @arguments 2>&1
                $r.ExitCode = $LASTEXITCODE
                $r.Done = ($LASTEXITCODE -eq 0)
            }
            catch { $r.Error = $_.Exception.Message; $r.ErrorCode = 'BcdeditNotFound' }
        }
        $r | ConvertTo-Json -Compress
        """;
}
