# Runs the Pester suite in this (child) pwsh and writes the counts as JSON for the build's closing line.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $ExcludeTag = ''
)
$ErrorActionPreference = 'Stop'
$env:NO_COLOR = '1'
$env:KVMTIME_MODULE = $ModulePath
Import-Module $PesterPath -Force

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag -split ',' }
$run = Invoke-Pester -Configuration $config

# A container that failed to run (syntax error, BeforeAll throw) counts as a failure too.
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
[pscustomobject]@{ Passed = $run.PassedCount; Failed = $failed; Skipped = $run.SkippedCount + $run.NotRunCount + $run.InconclusiveCount } |
    ConvertTo-Json | Set-Content -Path $ResultPath
