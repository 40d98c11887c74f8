//! IP network functions: `cidrhost`, `cidrnetmask`, `cidrsubnets`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use attest_core::Value;

use super::{arity, err, string, FnCtx};
use crate::terraform::hcl::eval::EvalError;
use crate::terraform::hcl::ops::to_i64;

/// A parsed prefix: network address as an integer, prefix length, address width in bits.
struct Prefix {
    base: u128,
    len: u32,
    bits: u32,
}

fn parse(name: &str, text: &str) -> Result<Prefix, EvalError> {
    let net: ipnet::IpNet = text
        .parse()
        .map_err(|e| err(format!("{name}: invalid CIDR \"{text}\": {e}")))?;
    let (bits, base) = match net.network() {
        IpAddr::V4(ip) => (32, u128::from(u32::from(ip))),
        IpAddr::V6(ip) => (128, u128::from(ip)),
    };
    Ok(Prefix {
        base,
        len: u32::from(net.prefix_len()),
        bits,
    })
}

fn addr_text(addr: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(addr as u32).to_string()
    } else {
        Ipv6Addr::from(addr).to_string()
    }
}

fn size(host_bits: u32) -> u128 {
    1u128.checked_shl(host_bits).unwrap_or(0)
}

pub(super) fn cidrhost(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("cidrhost", a, 2, 2)?;
    let p = parse("cidrhost", &string("cidrhost", &a[0])?)?;
    let hostnum = to_i64(&a[1], "cidrhost")?;
    let host_bits = p.bits - p.len;
    let count = size(host_bits);
    let offset: u128 = if hostnum >= 0 {
        hostnum as u128
    } else {
        count.checked_sub(hostnum.unsigned_abs() as u128).ok_or_else(|| {
            err(format!(
                "cidrhost: prefix of {} bits cannot accommodate a host numbered {hostnum}",
                p.len
            ))
        })?
    };
    if count != 0 && offset >= count {
        return Err(err(format!(
            "cidrhost: prefix of {} bits cannot accommodate a host numbered {hostnum}",
            p.len
        )));
    }
    Ok(Value::String(addr_text(p.base + offset, p.bits)))
}

pub(super) fn cidrnetmask(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("cidrnetmask", a, 1, 1)?;
    let p = parse("cidrnetmask", &string("cidrnetmask", &a[0])?)?;
    if p.bits != 32 {
        return Err(err("cidrnetmask: only IPv4 prefixes have a netmask"));
    }
    let mask = u32::MAX.checked_shl(32 - p.len).unwrap_or(0);
    Ok(Value::String(Ipv4Addr::from(mask).to_string()))
}

pub(super) fn cidrsubnets(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.is_empty() {
        return Err(err("cidrsubnets: a prefix is required"));
    }
    let p = parse("cidrsubnets", &string("cidrsubnets", &a[0])?)?;
    let end = p.base + (size(p.bits - p.len).wrapping_sub(1));
    let mut next = p.base;
    let mut out = Vec::new();
    for (i, v) in a[1..].iter().enumerate() {
        let newbits = to_i64(v, "cidrsubnets")?;
        if newbits < 1 || p.len as i64 + newbits > p.bits as i64 {
            return Err(err(format!(
                "cidrsubnets: invalid newbits {newbits} for argument {}",
                i + 2
            )));
        }
        let new_len = p.len + newbits as u32;
        let block = size(p.bits - new_len);
        let start = if block == 0 {
            next
        } else {
            next.div_ceil(block).saturating_mul(block)
        };
        let last = start.checked_add(block.wrapping_sub(1));
        match last {
            Some(last) if start >= next && last <= end && !(i > 0 && start == 0) => {
                out.push(Value::String(format!("{}/{new_len}", addr_text(start, p.bits))));
                next = last.wrapping_add(1);
                if next == 0 {
                    next = u128::MAX;
                }
            }
            _ => {
                return Err(err(format!(
                    "cidrsubnets: not enough remaining address space for a subnet with a prefix of {new_len} bits after {}",
                    out.last().and_then(Value::as_str).unwrap_or("the start")
                )))
            }
        }
    }
    Ok(Value::List(out))
}
