# Turns a PowerShell session on this Linux machine into a stand-in Windows guest for the matrix's
# Windows column (no Windows machine runs here). Run inside the session with Invoke-Command -FilePath.
# What the Windows snippets call answers from samples, each named for what it is:
#   w32tm /query /status /verbose  the recorded output w32tm-status-verbose-en-US.recorded.txt (real);
#   w32tm /query /configuration    the recorded output w32tm-configuration-verbose-en-US-ntp.recorded.txt (real,
#                                  from another machine than the status: the two are not one guest's);
#   Get-ItemProperty of HKLM:\SOFTWARE\Policies\Microsoft\W32Time\*  $FakeW32timePolicy (hand-written stand-in:
#                                  key -> values Group Policy set), empty at first: no policy;
#   w32tm /resync /force           hand-written from Microsoft's documented success message;
#   Get-ItemProperty of HKLM:\SYSTEM\CurrentControlSet\Control\TimeZoneInformation  $FakeTimeZoneInformation
#                                  (hand-written stand-in: value name -> value), empty at first: no RealTimeIsUniversal;
#   Get-WinEvent                   events-system-time.documented_format.json (hand-written);
#   Invoke-CimMethod (BCD WMI)     an in-memory BCD {current}, empty at first (as a fresh install).
# CPUID and QueryPerformanceFrequency are this machine's own, read by the snippet itself.
param([Parameter(Mandatory)] [string] $SamplesDirectory)

# $IsLinux is read-only, not constant: KvmTime asks the session which OS it runs, and gets Windows.
Set-Variable -Name IsLinux -Value $false -Force -Scope Global
Set-Variable -Name IsWindows -Value $true -Force -Scope Global

# A sample's text without its '#' source header (as the unit tests' SampleFiles.ReadBody reads it).
function Get-SampleBody([string] $Name) {
    $lines = @(Get-Content (Join-Path $SamplesDirectory $Name))
    $start = 0
    while ($start -lt $lines.Count -and $lines[$start].StartsWith('#')) { $start++ }
    if ($start -lt $lines.Count -and -not $lines[$start].Trim()) { $start++ }
    $lines[$start..($lines.Count - 1)] -join "`n"
}

$global:FakeW32tmStatus = Get-SampleBody 'w32tm-status-verbose-en-US.recorded.txt'
$global:FakeW32tmConfiguration = Get-SampleBody 'w32tm-configuration-verbose-en-US-ntp.recorded.txt'
$global:FakeEvents = Get-Content -Raw (Join-Path $SamplesDirectory 'events-system-time.documented_format.json') | ConvertFrom-Json
$global:FakeW32timePolicy = @{}
$global:FakeTimeZoneInformation = @{}
$global:FakeBcd = @{}
$global:FakeResyncCount = 0

function global:w32tm {
    if ($args -contains '/resync') {
        $global:FakeResyncCount++
        'Sending resync command to local computer'
        'The command completed successfully.'
    }
    elseif ($args -contains '/configuration') { $global:FakeW32tmConfiguration }
    else { $global:FakeW32tmStatus }
    $global:LASTEXITCODE = 0
}

function global:Get-ItemProperty {
    param($Path, $LiteralPath, $Name, $ErrorAction)
    $key = "$LiteralPath$Path"
    $policy = 'HKLM:\SOFTWARE\Policies\Microsoft\W32Time\'
    if ($key -eq 'HKLM:\SYSTEM\CurrentControlSet\Control\TimeZoneInformation') {
        if ($Name -and -not $global:FakeTimeZoneInformation.ContainsKey($Name)) { throw "Property $Name does not exist at path $key." }
        return [pscustomobject]$global:FakeTimeZoneInformation
    }
    if (-not $key.StartsWith($policy, [StringComparison]::OrdinalIgnoreCase)) {
        return Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters
    }
    $values = $global:FakeW32timePolicy[$key.Substring($policy.Length)]
    if ($values) { [pscustomobject]$values }
}

function global:Get-WinEvent {
    param($FilterHashtable, [int] $MaxEvents, $ErrorAction)
    $global:FakeEvents | Select-Object -First $MaxEvents | ForEach-Object {
        [pscustomobject]@{
            Id           = $_.Id
            ProviderName = $_.Provider
            TimeCreated  = [datetime]::Parse($_.TimeCreated, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal)
            Properties   = @($_.Data | ForEach-Object { [pscustomobject]@{ Value = $_ } })
        }
    }
}

function global:Invoke-CimMethod {
    param($Namespace, $ClassName, $InputObject, $MethodName, $Arguments)
    $type = if ($Arguments -and $Arguments.ContainsKey('Type')) { [uint32]$Arguments.Type }
    switch ($MethodName) {
        'OpenStore' { [pscustomobject]@{ ReturnValue = $true; Store = 'store' } }
        'OpenObject' { [pscustomobject]@{ ReturnValue = $true; Object = $Arguments.Id } }
        'GetElement' {
            if ($global:FakeBcd.ContainsKey($type)) {
                $element = [pscustomobject]@{ Boolean = $global:FakeBcd[$type]; CimInstanceProperties = @([pscustomobject]@{ Name = 'Boolean' }) }
                [pscustomobject]@{ ReturnValue = $true; Element = $element }
            }
            else { [pscustomobject]@{ ReturnValue = $false; Element = $null } }
        }
        'SetBooleanElement' { $global:FakeBcd[$type] = [bool]$Arguments.Boolean; [pscustomobject]@{ ReturnValue = $true } }
        'DeleteElement' { $had = $global:FakeBcd.ContainsKey($type); $global:FakeBcd.Remove($type); [pscustomobject]@{ ReturnValue = $had } }
    }
}
