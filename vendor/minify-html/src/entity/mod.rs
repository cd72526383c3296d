pub mod decode;
pub mod encode;
#[cfg(test)]
mod tests;
